namespace Pipeline.Cleaning;

/// <summary>
/// Finds the article in a page flattened to plain text. Each line gets a score from general features (length,
/// sentence punctuation, repetition, teaser and caption patterns, position); the article is the densest run of
/// prose (maximum-sum segment), and the chrome inside it (repeated lines, captions, trailers) is dropped.
/// </summary>
internal static class ScrapedTextCleaner
{
    private static readonly string[] CaptionWords =
    [
        "photo", "photos", "image", "images", "picture", "pictures", "credit", "credits", "foto", "fotos", "ảnh", "illustration",
        "photograph", "photographs", "photographer", "graphic", "video", "source", "bild", "imagen", "immagine",
    ];

    private static readonly string[] TrailerWords =
    [
        "source", "sources", "nguồn", "fuente", "quelle", "fonte", "source(s)", "via", "tags", "tag", "topics", "filed under",
        "categories", "category", "keywords", "related", "share", "share this", "follow us", "read more", "see also",
    ];

    private static readonly string[] ChromeLines =
    [
        "advertisement", "advertisements", "advertising", "sponsored", "sponsored content", "share", "share this", "share this article",
        "tweet", "email", "print", "comments", "comment", "reply", "read more", "read next", "see more", "show more", "load more",
        "more", "next", "previous", "back to top", "subscribe", "sign in", "log in", "login", "sign up", "menu", "search", "home",
        "skip to content", "skip to main content", "close", "ad", "related", "related news", "related articles", "related stories",
        "latest news", "more news", "most read", "most popular", "trending", "recommended", "you may also like", "mobile version",
        "newsletter", "cookie", "cookies", "accept", "follow us", "facebook", "twitter", "linkedin", "whatsapp", "pinterest",
        "reddit", "instagram", "youtube", "copy link", "copied", "top", "tags", "topics", "loading", "view comments",
    ];

    private static readonly HashSet<string> ChromeLineSet = new(ChromeLines, StringComparer.Ordinal);

    public static bool IsChromeLine(string key) => ChromeLineSet.Contains(key);

    private sealed class Line
    {
        public required string Text { get; set; }
        public required string Key { get; init; }
        public int Words { get; init; }
        public bool Sentence { get; init; }
        public bool Drop { get; set; }
        public bool Teaser { get; set; }
        public double Score { get; set; }
    }

    public static (string Title, List<string> Paragraphs, string? Date) Clean(string text)
    {
        var raw = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var lines = new List<Line>(raw.Length);
        string? date = null;
        foreach (var r in raw)
        {
            var t = TextTools.CollapseWhitespace(r);
            if (t.Length == 0)
            {
                continue;
            }

            if (lines.Count == 0 && date is null)
            {
                t = StripDateMarker(t, out date);
                if (t.Length == 0)
                {
                    continue;
                }
            }

            t = StripEndMark(t);
            lines.Add(new Line
            {
                Text = t,
                Key = TextTools.Key(t),
                Words = TextTools.Weight(t),
                Sentence = TextTools.EndsLikeSentence(t),
            });
        }

        if (lines.Count == 0)
        {
            return (string.Empty, [], date);
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var l in lines)
        {
            counts[l.Key] = counts.GetValueOrDefault(l.Key) + 1;
        }

        MarkTeasers(lines);
        MarkDebris(lines, counts);
        var title = PickTitle(lines);
        var titleKey = TextTools.Key(title);

        foreach (var l in lines)
        {
            l.Score = LineScore(l, counts);
        }

        var (start, end) = DensestRun(lines);
        var paragraphs = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = start; i <= end; i++)
        {
            var l = lines[i];
            if (l.Drop || l.Teaser || l.Key.Length == 0)
            {
                continue;
            }

            if (!seen.Add(l.Key))
            {
                continue; // a paragraph repeated inside the story (a lead shown twice): keep the first
            }

            if (i == start && (l.Key == titleKey || titleKey.StartsWith(l.Key, StringComparison.Ordinal)) && !l.Sentence)
            {
                continue;
            }

            if (ChromeLineSet.Contains(l.Key))
            {
                continue;
            }

            paragraphs.Add(l.Text);
        }

        return (title, paragraphs, date);
    }

    private static double LineScore(Line l, Dictionary<string, int> counts)
    {
        if (l.Drop || l.Teaser)
        {
            return -4 - (l.Words * 0.5);
        }

        var repeated = counts[l.Key] > 1;
        if (ChromeLineSet.Contains(l.Key))
        {
            return -6;
        }

        if (l.Words >= 10 && (l.Sentence || l.Text.Contains(',', StringComparison.Ordinal)))
        {
            // A prose line; a repeated one counts for less (the lead shown twice is still story, a teaser list is not).
            return repeated ? l.Words * 0.3 : l.Words;
        }

        if (l.Words >= 6 && l.Sentence)
        {
            return repeated ? 0 : l.Words * 0.6;
        }

        if (repeated)
        {
            return -3 - l.Words;
        }

        return l.Words <= 3 ? -3 : -1.5;
    }

    /// <summary>Maximum-sum contiguous run of line scores.</summary>
    private static (int Start, int End) DensestRun(List<Line> lines)
    {
        double best = double.MinValue, current = 0;
        int bestStart = 0, bestEnd = lines.Count - 1, currentStart = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (current <= 0)
            {
                current = 0;
                currentStart = i;
            }

            current += lines[i].Score;
            if (current > best)
            {
                best = current;
                bestStart = currentStart;
                bestEnd = i;
            }
        }

        return best <= 0 ? (0, lines.Count - 1) : (bestStart, bestEnd);
    }

    /// <summary>
    /// Related-news lists repeat each headline (link text, then image alt or heading) and follow it with a teaser
    /// paragraph: a line equal to the line before it starts a teaser; the next line is its blurb.
    /// </summary>
    private static void MarkTeasers(List<Line> lines)
    {
        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Key.Length == 0 || lines[i].Key != lines[i - 1].Key || lines[i].Words > 30)
            {
                continue;
            }

            lines[i].Teaser = true;
            lines[i - 1].Teaser = true;
            if (i + 1 < lines.Count && lines[i + 1].Key != lines[i].Key
                && (i + 2 >= lines.Count || lines[i + 2].Key != lines[i + 1].Key || lines[i + 1].Words > 30))
            {
                lines[i + 1].Teaser = true;
            }
        }
    }

    private static void MarkDebris(List<Line> lines, Dictionary<string, int> counts)
    {
        foreach (var l in lines)
        {
            if (IsCaption(l) || IsTrailer(l) || IsDomainLine(l.Text) || IsPrefixedRepeat(l, counts))
            {
                l.Drop = true;
            }
        }
    }

    /// <summary>A line that is another line of the page plus at most three short tokens ("Headline image 1").</summary>
    private static bool IsPrefixedRepeat(Line l, Dictionary<string, int> counts)
    {
        var words = TextTools.CountWords(l.Text);
        if (words < 4 || words > 40)
        {
            return false;
        }

        for (var extra = 1; extra <= 3 && words - extra >= 3; extra++)
        {
            var prefix = TextTools.Key(l.Text, words - extra);
            if (prefix != l.Key && counts.ContainsKey(prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCaption(Line l)
    {
        var t = l.Text.AsSpan().TrimEnd();
        // "... (Photo: Agency)" / "... (Photo courtesy of X)" at the end of a line.
        if (t.Length > 2 && t[^1] == ')')
        {
            var open = t.LastIndexOf('(');
            if (open >= 0 && StartsWithWord(t[(open + 1)..], CaptionWords))
            {
                return true;
            }
        }

        // "Photo: Agency" or "Image credit: X" as a short line of its own.
        if (l.Words <= 12 && StartsWithWord(t, CaptionWords))
        {
            var colon = t.IndexOf(':');
            return colon > 0 && colon < 30;
        }

        return false;
    }

    private static bool IsTrailer(Line l)
    {
        if (l.Words > 8)
        {
            return false;
        }

        var colon = l.Text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon > 20)
        {
            return false;
        }

        var head = TextTools.Key(l.Text.AsSpan(0, colon));
        return Array.IndexOf(TrailerWords, head) >= 0;
    }

    private static bool StartsWithWord(ReadOnlySpan<char> text, string[] words)
    {
        text = text.TrimStart();
        foreach (var w in words)
        {
            if (text.StartsWith(w, StringComparison.OrdinalIgnoreCase)
                && (text.Length == w.Length || !TextTools.IsWordChar(text[w.Length])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A bare domain or URL on a line of its own ("en.example.com", "https://x.org/a").</summary>
    internal static bool IsDomainLine(string text)
    {
        var t = text.AsSpan().Trim();
        if (t.Length < 4 || t.Length > 200 || t.Contains(' '))
        {
            return false;
        }

        if (t.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || t.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || t.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dot = t.LastIndexOf('.');
        if (dot <= 0 || dot >= t.Length - 2)
        {
            return false;
        }

        var tld = t[(dot + 1)..].TrimEnd('/');
        foreach (var c in tld)
        {
            if (!char.IsAsciiLetterLower(c))
            {
                return false;
            }
        }

        foreach (var c in t)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '/'))
            {
                return false;
            }
        }

        return tld.Length is >= 2 and <= 6;
    }

    /// <summary>The first line, unless it is prose; a page title's site suffix is removed.</summary>
    private static string PickTitle(List<Line> lines)
    {
        var first = lines[0];
        var text = first.Text;
        if (first.Words > 30)
        {
            // A story with no headline line: its first sentence stands in.
            var end = text.IndexOfAny(['.', '!', '?']);
            text = end > 20 && end < 250 ? text[..(end + 1)] : text[..Math.Min(text.Length, 200)];
        }

        return TextTools.StripSiteSuffix(text, null);
    }

    /// <summary>Wire metadata marker " date 2020-12-03 " at the very start.</summary>
    private static string StripDateMarker(string line, out string? date)
    {
        date = null;
        var span = line.AsSpan();
        if (span.StartsWith("date ", StringComparison.OrdinalIgnoreCase) && span.Length >= 15)
        {
            var candidate = span.Slice(5, 10);
            if (DateTime.TryParseExact(candidate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out _) && (span.Length == 15 || span[15] == ' '))
            {
                date = candidate.ToString();
                return span[15..].Trim().ToString();
            }
        }

        return line;
    }

    /// <summary>Wire stories end with "./." (Vietnamese agencies) or similar end marks.</summary>
    private static string StripEndMark(string line)
    {
        if (!line.EndsWith("/.", StringComparison.Ordinal))
        {
            return line;
        }

        var body = line.EndsWith("./.", StringComparison.Ordinal) ? line[..^3].TrimEnd() : line[..^2].TrimEnd();
        return body.Length == 0 || TextTools.EndsLikeSentence(body) ? body : body + ".";
    }
}
