namespace Pipeline.Cleaning;

/// <summary>
/// A headline-length title for a story that has none: the lead sentence's main clause, without its dateline, cut at
/// a word boundary so that a list of results stays scannable. The full lead stays in the text.
/// </summary>
internal static class LeadHeadline
{
    /// <summary>A title up to this long is kept whole.</summary>
    private const int MaxLength = 100;

    /// <summary>A cut is made at a word boundary at or after this length when there is one.</summary>
    private const int PreferredLength = 80;

    /// <summary>A clause break (comma, semicolon, colon, bracket) this early is still part of the subject, not the clause's end.</summary>
    private const int MinClauseLength = 50;

    private const int MaxDatelineLength = 60;

    private static readonly string[] DatelineSeparators = [" – ", " — ", " - ", " -- ", "): "];

    public static string FromLead(string lead)
    {
        var text = FirstSentence(WithoutDateline(lead.Trim()));
        var clauseEnd = text.Length > MinClauseLength ? text.IndexOfAny([',', ';', ':', '(', '，', '；', '：', '、'], MinClauseLength) : -1;
        if (clauseEnd > 0)
        {
            text = text[..clauseEnd].TrimEnd();
        }

        return text.Length <= MaxLength ? text : CutAtWord(text);
    }

    /// <summary>"Hanoi (VNA) – ", "LONDON, Dec 3 (Reuters) - ", "PARIS — ": a short capitalised place/agency prefix.</summary>
    private static string WithoutDateline(string text)
    {
        foreach (var separator in DatelineSeparators)
        {
            var at = text.IndexOf(separator, StringComparison.Ordinal);
            if (at <= 0 || at > MaxDatelineLength)
            {
                continue;
            }

            var prefix = text.AsSpan(0, at + (separator[0] == ')' ? 1 : 0));
            if (char.IsUpper(prefix[0]) && TextTools.CountWords(prefix) <= 8 && !TextTools.EndsLikeSentence(prefix.ToString()))
            {
                var rest = text[(at + separator.Length)..].TrimStart();
                return rest.Length > 0 ? rest : text;
            }
        }

        return text;
    }

    /// <summary>A full stop this early is an abbreviation or an initial ("U.S.", "Dr."), not the end of the first sentence.</summary>
    private const int MinFirstSentenceChars = 20;

    private static string FirstSentence(string text)
    {
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] is '.' or '!' or '?' or '。' or '！' or '？' && (char.IsWhiteSpace(text[i + 1]) || text[i] > 0x3000)
                && i > MinFirstSentenceChars && !char.IsUpper(text[i - 1]))
            {
                return text[..(i + 1)];
            }
        }

        return text;
    }

    /// <summary>Fewest words kept when trailing short words are dropped from a cut headline.</summary>
    private const int MinCutWords = 4;

    /// <summary>Longest trailing lower-case word dropped from a cut headline ("the", "of", "and").</summary>
    private const int MaxDanglingWordChars = 3;

    /// <summary>Cuts at the last space within the limit, drops trailing short lower-case words (articles, prepositions).</summary>
    private static string CutAtWord(string text)
    {
        var cut = text.LastIndexOf(' ', MaxLength);
        if (cut < PreferredLength / 2)
        {
            // No spaces (Chinese, Japanese) or one very long word: a hard cut that does not split a surrogate pair.
            cut = char.IsLowSurrogate(text[MaxLength]) ? MaxLength - 1 : MaxLength;
        }

        var words = text[..cut].TrimEnd().Split(' ').ToList();
        while (words.Count > MinCutWords && words[^1].Length <= MaxDanglingWordChars && words[^1].All(char.IsLower))
        {
            words.RemoveAt(words.Count - 1);
        }

        return string.Join(' ', words).TrimEnd(',', ';', ':', '–', '—', '-', ' ') + "…";
    }
}
