using System.Globalization;
using System.Text;
using Pipeline.Contracts;
using Pipeline.Relating;

/// <summary>
/// Variants of an analysed document for archives larger than the dev data, made without cleaning or extracting again.
/// Variant <c>n</c> lives in a world of its own: every name and about half of the other words get the world's suffix
/// (so its people, its stories and its vocabulary are new, while common words stay shared, as in a real archive), and
/// its date moves on a week per world. Mention offsets are carried over to the changed text.
/// </summary>
internal static class ArchiveVariants
{
    public static ProcessedDocument Create(ProcessedDocument document, int world, DateTimeOffset ingestedAt)
    {
        if (world == 0)
        {
            return document with { DocumentId = document.DocumentId + "-0", IngestedAt = ingestedAt };
        }

        string suffix = Suffix(world);
        var (article, analysis) = (document.Article, document.Analysis);
        var titleEntities = analysis.TitleEntities ?? [];
        var (text, textMap) = Vary(article.Text, analysis.Entities, suffix);
        var (title, titleMap) = Vary(article.Title, titleEntities, suffix);
        string? published = DateOnly.TryParseExact(analysis.PublishedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.AddDays(7 * world).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
        return document with
        {
            DocumentId = string.Create(CultureInfo.InvariantCulture, $"{document.DocumentId}-{world}"),
            IngestedAt = ingestedAt,
            Article = article with { Title = title, Text = text },
            Analysis = analysis with
            {
                PublishedOn = published,
                Entities = Moved(analysis.Entities, text, textMap),
                TitleEntities = Moved(titleEntities, title, titleMap),
            },
        };
    }

    /// <summary>The world's suffix in letters ("b", "c", … "ab"), so that a name stays a word.</summary>
    private static string Suffix(int world)
    {
        var letters = new StringBuilder();
        for (int n = world; n > 0; n /= 26)
        {
            letters.Insert(0, (char)('a' + (n % 26)));
        }

        return letters.ToString();
    }

    /// <summary>The text with the suffix on names and on about half the words, and where each old offset went.</summary>
    private static (string Text, int[] Map) Vary(string text, IReadOnlyList<EntityMention> mentions, string suffix)
    {
        var inName = new bool[text.Length];
        foreach (var m in mentions)
        {
            Array.Fill(inName, true, m.Start, Math.Min(m.End, text.Length) - m.Start);
        }

        var varied = new StringBuilder(text.Length + (text.Length / 8));
        var map = new int[text.Length + 1];
        for (int i = 0; i < text.Length; i++)
        {
            map[i] = varied.Length;
            varied.Append(text[i]);
            bool wordEnds = char.IsLetter(text[i]) && (i + 1 == text.Length || !char.IsLetter(text[i + 1]));
            if (wordEnds && (inName[i] || (text[i] + i) % 2 == 0))
            {
                varied.Append(suffix);
            }
        }

        map[text.Length] = varied.Length;
        return (varied.ToString(), map);
    }

    private static List<EntityMention> Moved(IReadOnlyList<EntityMention> mentions, string text, int[] map) =>
        mentions.Select(m =>
        {
            int start = map[m.Start], end = m.End < map.Length ? map[m.End - 1] + 1 : text.Length;
            // The last character of the name moved with its suffix behind it: the name ends after the suffix.
            while (end < text.Length && char.IsLetter(text[end]))
            {
                end++;
            }

            return m with { Start = start, End = end, Text = text[start..end], Canonical = null };
        }).ToList();
}
