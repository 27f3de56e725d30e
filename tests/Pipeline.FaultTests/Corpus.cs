using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.FaultTests;

/// <summary>One file the suite drops: its name, its bytes, and whether the pipeline must store it.</summary>
internal sealed record CorpusFile(string Name, byte[] Content, bool Valid);

/// <summary>
/// Generates distinct documents from real article text (the benchmark's ground-truth bodies and the seeds),
/// recombined by a seeded random generator, as plain text and as HTML with page chrome; plus poison files.
/// </summary>
internal static class Corpus
{
    public static IReadOnlyList<CorpusFile> Documents(int count, int seed)
    {
        var paragraphs = RealParagraphs();
        var random = new Random(seed);
        var files = new List<CorpusFile>(count);
        for (var i = 0; i < count; i++)
        {
            var picked = Enumerable.Range(0, random.Next(3, 8)).Select(_ => paragraphs[random.Next(paragraphs.Count)]).ToList();
            var title = $"Dispatch {i}: {string.Join(' ', picked[0].Split(' ').Take(8))}";
            files.Add(i % 4 == 0
                ? new CorpusFile($"dispatch-{i:D5}.html", Encoding.UTF8.GetBytes(Html(title, picked)), true)
                : new CorpusFile($"dispatch-{i:D5}.txt", Encoding.UTF8.GetBytes(title + "\n\n" + string.Join("\n\n", picked) + "\n"), true));
        }

        return files;
    }

    /// <summary>Hostile input the pipeline must survive. Valid ones must be stored; the others set aside with a reason.</summary>
    public static IReadOnlyList<CorpusFile> Hostile(string story)
    {
        var random = new Random(3);
        var binary = new byte[4096];
        random.NextBytes(binary);
        binary[0] = 0;
        var deep = new StringBuilder("<html><body>");
        deep.Insert(deep.Length, "<div>", 100_000).Insert(deep.Length, "</div>", 100_000).Append("</body></html>");
        return
        [
            new("empty.txt", [], false),
            new("binary.bin", binary, false),
            new("deeply-nested.html", Encoding.UTF8.GetBytes(deep.ToString()), false),
            new("invalid-utf8.txt", [.. Encoding.UTF8.GetBytes("Invalid bytes ahead\n\n" + story), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes(" and the story ends.")], true),
            new("utf16-bom.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("Wide text\n\n" + story + " (UTF-16)")], true),
            new("windows-1252.txt", Encoding.Latin1.GetBytes("Caf\u00e9 report\n\n" + story + " \u00a9 1252"), true),
            new("$(touch pwned); `id` & ..%2F..%2Fetc.txt", Encoding.UTF8.GetBytes("Shell characters\n\n" + story + " (name)"), true),
        ];
    }

    private static string Html(string title, IEnumerable<string> paragraphs) =>
        $"""
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(title)} | Example Wire</title></head>
        <body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
        <article><h1>{WebUtility.HtmlEncode(title)}</h1>
        {string.Concat(paragraphs.Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>\n"))}</article>
        <footer>Copyright Example Wire. <a href="/privacy">Privacy</a></footer></body></html>
        """;

    private static List<string> RealParagraphs()
    {
        var data = Path.Combine(RepositoryPaths.ArticlePages, "ground-truth.json");
        using var truth = JsonDocument.Parse(File.ReadAllBytes(data));
        var bodies = truth.RootElement.EnumerateObject().Select(p => p.Value.GetProperty("articleBody").GetString() ?? string.Empty);
        var seeds = Directory.GetFiles(RepositoryPaths.Seeds).Select(File.ReadAllText);
        return bodies.Concat(seeds)
            .SelectMany(b => b.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 120 && p.Count(c => c == ' ') >= 15)
            .Distinct()
            .ToList();
    }
}
