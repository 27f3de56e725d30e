using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Analysis;

/// <summary>A key phrase and its TextRank score.</summary>
public sealed record Keyword(string Phrase, double Score);

/// <summary>
/// TextRank (Mihalcea and Tarau 2004): content words are nodes, co-occurrence within a window of two links them,
/// PageRank scores them; runs of content words form phrases scored by their words. Sentence extraction uses
/// TextRank over sentences (word overlap), with a lead bias for news.
/// </summary>
internal static class KeyPhrases
{
    internal static readonly HashSet<string> Stopwords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "even", "ever", "every", "few", "for", "from", "further", "had", "has",
        "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if",
        "in", "into", "is", "it", "its", "itself", "just", "last", "least", "less", "like", "made", "make", "many", "may",
        "me", "might", "more", "most", "much", "must", "my", "myself", "new", "no", "nor", "not", "now", "of", "off",
        "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "per", "said",
        "same", "say", "says", "she", "should", "since", "so", "some", "still", "such", "than", "that", "the", "their",
        "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too",
        "two", "under", "until", "up", "upon", "us", "very", "was", "we", "well", "were", "what", "when", "where",
        "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet",
        "you", "your", "yours", "yourself", "'s", "’s", "n't", "mr", "mrs", "ms", "year", "years", "time", "told",
        "already", "around", "among", "across", "along", "toward", "towards", "via", "including", "according", "always",
        "well", "able", "s", "get", "got", "go", "going", "come", "came", "take", "took", "put", "see", "seen", "way",
        "three", "four", "five", "first", "second", "near", "far", "next", "ago", "often", "never", "yesterday", "today",
        "tomorrow", "week", "month", "day", "days", "let", "set", "held", "given", "give", "gave", "make", "making",
    };

    private static bool IsContent(string w) =>
        w.Length > 1 && !Stopwords.Contains(w) && w.Any(char.IsLetter) && !w.All(c => !char.IsLetterOrDigit(c));

    public static List<Keyword> Rank(string text, List<Token> tokens, Sentence[] sentences, int top, int[]? segment = null)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var keys = new string[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            var w = text.Substring(tokens[i].Start, tokens[i].Length);
            keys[i] = IsContent(w) ? w.ToLowerInvariant() : "";
            if (keys[i].Length > 0 && !index.ContainsKey(keys[i]))
            {
                index[keys[i]] = index.Count;
            }
        }

        int n = index.Count;
        if (n == 0)
        {
            return [];
        }

        var edges = new Dictionary<int, float>[n];
        for (int v = 0; v < n; v++)
        {
            edges[v] = [];
        }

        foreach (var s in sentences)
        {
            for (int i = s.First; i < s.End; i++)
            {
                if (keys[i].Length == 0)
                {
                    continue;
                }

                for (int j = i + 1; j < Math.Min(s.End, i + 3); j++)
                {
                    if (keys[j].Length == 0 || keys[j] == keys[i])
                    {
                        continue;
                    }

                    int a = index[keys[i]], b = index[keys[j]];
                    edges[a][b] = edges[a].GetValueOrDefault(b) + 1;
                    edges[b][a] = edges[b].GetValueOrDefault(a) + 1;
                }
            }
        }

        var score = PageRank(edges);

        // Phrases: maximal runs of content words inside a sentence (at most 3 words).
        var phrases = new Dictionary<string, (string Surface, double Score, int Count, int First)>(StringComparer.Ordinal);
        foreach (var s in sentences)
        {
            int i = s.First;
            while (i < s.End)
            {
                if (keys[i].Length == 0)
                {
                    i++;
                    continue;
                }

                int j = i;
                while (j + 1 < s.End && keys[j + 1].Length > 0 && j + 1 - i < 3 &&
                       (segment is null || segment[j + 1] == segment[i]))
                {
                    j++;
                }

                string key = string.Join(' ', keys[i..(j + 1)]);
                double sc = 0;
                for (int k = i; k <= j; k++)
                {
                    sc += score[index[keys[k]]];
                }

                string surface = text[tokens[i].Start..tokens[j].End];
                if (phrases.TryGetValue(key, out var p))
                {
                    phrases[key] = (p.Surface, p.Score, p.Count + 1, p.First);
                }
                else
                {
                    phrases[key] = (surface, sc, 1, i);
                }

                i = j + 1;
            }
        }

        var ranked = phrases.Values
            .Select(p => (p.Surface, Score: p.Score / Math.Sqrt(p.Surface.Count(c => c == ' ') + 1) * (1 + Math.Log(p.Count))))
            .OrderByDescending(p => p.Score).ThenBy(p => p.Surface, StringComparer.Ordinal)
            .ToList();
        var result = new List<Keyword>();
        foreach (var (surface, sc) in ranked)
        {
            if (result.Any(r => r.Phrase.Contains(surface, StringComparison.OrdinalIgnoreCase) ||
                                surface.Contains(r.Phrase, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            result.Add(new Keyword(surface, Math.Round(sc, 4)));
            if (result.Count == top)
            {
                break;
            }
        }

        return result;
    }

    private static double[] PageRank(Dictionary<int, float>[] edges, int iterations = 30, double damping = 0.85)
    {
        int n = edges.Length;
        var score = Enumerable.Repeat(1.0, n).ToArray();
        var outWeight = edges.Select(e => e.Values.Sum()).ToArray();
        var next = new double[n];
        for (int it = 0; it < iterations; it++)
        {
            Array.Fill(next, 1 - damping);
            for (int v = 0; v < n; v++)
            {
                if (outWeight[v] == 0)
                {
                    continue;
                }

                foreach (var (u, w) in edges[v])
                {
                    next[u] += damping * score[v] * w / outWeight[v];
                }
            }

            (score, next) = (next, score);
        }

        return score;
    }

    /// <summary>2-3 sentences of the text, in their order, chosen by TextRank over sentences with a lead bias.</summary>
    public static string Summarise(string text, List<Token> tokens, Sentence[] sentences, int skipBefore)
    {
        var candidates = new List<(int Index, HashSet<string> Words, int Start, int End)>();
        for (int s = 0; s < sentences.Length && candidates.Count < 80; s++)
        {
            var sent = sentences[s];
            if (sent.Count < 6)
            {
                continue;
            }

            int start = Math.Max(tokens[sent.First].Start, Math.Min(skipBefore, tokens[sent.End - 1].End));
            while (start < tokens[sent.End - 1].End && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (int i = sent.First; i < sent.End; i++)
            {
                var w = text.Substring(tokens[i].Start, tokens[i].Length);
                if (IsContent(w))
                {
                    words.Add(w);
                }
            }

            // Repeated sentences (captions, teasers) count once.
            string body = text[start..tokens[sent.End - 1].End];
            if (words.Count >= 3 && !candidates.Any(c => text.AsSpan(c.Start, c.End - c.Start).SequenceEqual(body)))
            {
                candidates.Add((s, words, start, tokens[sent.End - 1].End));
            }
        }

        if (candidates.Count == 0)
        {
            return "";
        }

        // Headlines, captions and menu lines do not end like sentences: leave them out when there are real sentences.
        static bool Ends(string t) => t.TrimEnd().TrimEnd('"', '”', '’', '\'', ')').EndsWith('.') || t.TrimEnd().EndsWith('?') || t.TrimEnd().EndsWith('!');
        var proper = candidates.Where(c => Ends(text[c.Start..c.End])).ToList();
        if (proper.Count >= 2)
        {
            candidates = proper;
        }

        int n = candidates.Count;
        var edges = new Dictionary<int, float>[n];
        for (int a = 0; a < n; a++)
        {
            edges[a] = [];
            for (int b = 0; b < n; b++)
            {
                if (a == b)
                {
                    continue;
                }

                int overlap = candidates[a].Words.Count(candidates[b].Words.Contains);
                if (overlap > 0)
                {
                    edges[a][b] = (float)(overlap / (Math.Log(candidates[a].Words.Count + 1) + Math.Log(candidates[b].Words.Count + 1)));
                }
            }
        }

        var score = PageRank(edges);
        int take = n >= 8 ? 3 : Math.Min(2, n);
        var chosen = Enumerable.Range(0, n)
            .OrderByDescending(i => score[i] * (1 + (1.0 / (1 + i))))
            .Take(take).Order().ToList();
        return string.Join(' ', chosen.Select(i => text[candidates[i].Start..candidates[i].End].Replace('\n', ' ')));
    }
}
