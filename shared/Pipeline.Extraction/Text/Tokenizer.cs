namespace Pipeline.Extraction.Text;

/// <summary>A token of the text: [Start, End) in .NET string offsets.</summary>
public readonly record struct Token(int Start, int End)
{
    public int Length => End - Start;
}

/// <summary>A sentence: a run of tokens [First, First + Count) in the document's token list.</summary>
public readonly record struct Sentence(int First, int Count)
{
    public int End => First + Count;
}

/// <summary>
/// Splits text into CoNLL-style tokens (punctuation apart, "'s" apart, hyphenated words and abbreviations kept)
/// and sentences (line breaks, and sentence-final punctuation followed by a capital).
/// </summary>
public static class Tokenizer
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "corp", "co", "ltd", "plc", "bros", "gen", "col",
        "lt", "sgt", "capt", "cmdr", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "approx", "dept", "univ", "mt",
        "ft", "ave", "blvd", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "ala", "ariz", "ark", "calif", "colo",
        "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont",
        "neb", "nev", "okla", "ore", "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "messrs", "mme", "mlle",
        "rt", "sgt", "supt", "det", "insp", "cpl", "pte", "maj", "brig", "gov", "atty", "corp", "assn", "est", "fig",
    };

    /// <summary>
    /// The most tokens a sentence gets, give or take a name: text without sentence breaks (one huge line) is cut into
    /// pieces of about this size, so that tagging works on bounded pieces. No sentence of ordinary text comes near it.
    /// </summary>
    public const int MaxSentenceTokens = 1000;

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(text.Length / 5 + 4);
        int i = 0, n = text.Length;
        while (i < n)
        {
            while (i < n && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= n)
            {
                break;
            }

            int start = i;
            while (i < n && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            SplitChunk(text, start, i, tokens);
        }

        return tokens;
    }

    private static bool IsSplitPunct(char c) => c switch
    {
        '(' or ')' or '[' or ']' or '{' or '}' or '"' or '“' or '”' or '‘' or '’' or '\'' or '«' or '»' or ','
            or ';' or ':' or '!' or '?' or '.' or '–' or '—' or '…' or '/' or '*' or '|' => true,
        _ => false,
    };

    private static void SplitChunk(string text, int start, int end, List<Token> tokens)
    {
        // Leading punctuation, one token each (but keep "'s"-like clitics and a lone token whole).
        while (start < end - 1 && IsLeadingPunct(text[start]) && !IsClitic(text, start, end))
        {
            tokens.Add(new Token(start, start + 1));
            start++;
        }

        // Trailing punctuation, collected then added in order.
        Span<Token> tail = stackalloc Token[16];
        int tailCount = 0;
        while (end - start > 1 && tailCount < tail.Length)
        {
            char c = text[end - 1];
            if (c == '.' && end - start >= 2 && text[end - 2] == '.')
            {
                // An ellipsis "..." stays one token.
                int dots = end - 1;
                while (dots > start && text[dots - 1] == '.')
                {
                    dots--;
                }

                if (dots == start)
                {
                    break;
                }

                tail[tailCount++] = new Token(dots, end);
                end = dots;
                continue;
            }

            if (c == '.')
            {
                if (KeepsPeriod(text, start, end))
                {
                    break;
                }

                tail[tailCount++] = new Token(end - 1, end);
                end--;
                continue;
            }

            if (IsSplitPunct(c) && !(c is '\'' or '’' && IsClitic(text, start, end)))
            {
                tail[tailCount++] = new Token(end - 1, end);
                end--;
                continue;
            }

            break;
        }

        // Clitics: "Russia's" -> "Russia" "'s"; "don't" -> "do" "n't".
        int clitic = FindCliticStart(text, start, end);
        if (clitic > start)
        {
            SplitInner(text, start, clitic, tokens);
            tokens.Add(new Token(clitic, end));
        }
        else
        {
            SplitInner(text, start, end, tokens);
        }

        while (tailCount > 0)
        {
            tokens.Add(tail[--tailCount]);
        }
    }

    // Inside a chunk split only on dashes that are not hyphens, and on brackets and quotes.
    private static void SplitInner(string text, int start, int end, List<Token> tokens)
    {
        int s = start;
        for (int k = start; k < end; k++)
        {
            char c = text[k];
            if (c is '–' or '—' or '(' or ')' or '"' or '“' or '”' or '[' or ']' or '…')
            {
                if (k > s)
                {
                    tokens.Add(new Token(s, k));
                }

                tokens.Add(new Token(k, k + 1));
                s = k + 1;
            }
        }

        if (end > s)
        {
            tokens.Add(new Token(s, end));
        }
    }

    private static bool IsLeadingPunct(char c) =>
        c is '(' or '[' or '{' or '"' or '“' or '‘' or '\'' or '«' or '’' or '–' or '—' or '/' or '*' or '…';

    private static bool IsClitic(string text, int start, int end)
    {
        var s = text.AsSpan(start, end - start);
        return s.Length is >= 2 and <= 3 && (s[0] is '\'' or '’') && char.IsLetter(s[1]) &&
               (s.Length == 2 || char.IsLetter(s[2]));
    }

    private static int FindCliticStart(string text, int start, int end)
    {
        int len = end - start;
        if (len >= 4 && (text[end - 2] is '\'' or '’') && (text[end - 1] is 's' or 'S') && char.IsLetter(text[end - 3]))
        {
            return end - 2;
        }

        if (len >= 4 && text[end - 3] is 'n' or 'N' && (text[end - 2] is '\'' or '’') && text[end - 1] is 't' or 'T')
        {
            return end - 3;
        }

        return -1;
    }

    private static bool KeepsPeriod(string text, int start, int end)
    {
        var body = text.AsSpan(start, end - 1 - start);
        if (body.Length == 0)
        {
            return false;
        }

        if (body.Length == 1 && char.IsLetter(body[0]))
        {
            return true; // initials: "V."
        }

        if (body.Length <= 2 && char.IsDigit(body[0]) && char.IsDigit(body[^1]))
        {
            return true; // list numbers and ordinals: "1.", "12."
        }

        if (body.Contains('.'))
        {
            // "U.S.", "a.m." -- but not "word..." or "end./."
            foreach (char c in body)
            {
                if (!char.IsLetter(c) && c != '.' && c != '-')
                {
                    return false;
                }
            }

            return body[^1] != '.';
        }

        return Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(body);
    }

    /// <summary>Sentences over the tokens: a line break ends one; so does . ! ? before a capital or a quote.</summary>
    public static List<Sentence> SplitSentences(string text, List<Token> tokens)
    {
        var sentences = new List<Sentence>();
        int first = 0;
        for (int k = 0; k < tokens.Count; k++)
        {
            bool endHere = k == tokens.Count - 1;
            if (!endHere)
            {
                var next = tokens[k + 1];
                if (text.AsSpan(tokens[k].End, next.Start - tokens[k].End).Contains('\n'))
                {
                    endHere = true;
                }
                else
                {
                    var t = tokens[k];
                    char last = text[t.End - 1];
                    if (t.Length == 1 && last is '.' or '!' or '?')
                    {
                        char nc = text[next.Start];
                        if (next.Length == 1 && nc is '"' or '”' or '\'' or '’' &&
                            (k + 2 == tokens.Count || text.AsSpan(next.End, tokens[k + 2].Start - next.End).Contains('\n')))
                        {
                            endHere = false; // the quote closes this sentence; the line break after it ends it
                        }
                        else if (next.Length == 1 && nc is '"' or '”' or '\'' or '’')
                        {
                            // A closing quote after the full stop stays with its sentence: 'he said . " The ...'.
                            char after = text[tokens[k + 2].Start];
                            if (char.IsUpper(after) || after is '"' or '“')
                            {
                                k++;
                                endHere = true;
                            }
                        }
                        else
                        {
                            endHere = char.IsUpper(nc) || char.IsDigit(nc) || nc is '"' or '“' or '\'' or '‘' or '(' or '–';
                        }
                    }
                }
            }

            // Past the limit, cut before a word that does not start with a capital (not inside a name) when one comes soon.
            int length = k + 1 - first;
            if (!endHere && length >= MaxSentenceTokens &&
                (length >= MaxSentenceTokens + 100 || !char.IsUpper(text[tokens[k + 1].Start])))
            {
                endHere = true;
            }

            if (endHere)
            {
                sentences.Add(new Sentence(first, k + 1 - first));
                first = k + 1;
            }
        }

        return sentences;
    }
}
