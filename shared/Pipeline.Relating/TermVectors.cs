namespace Pipeline.Relating;

/// <summary>Sparse TF-IDF vectors of words, as the story clusterer compares documents with stories.</summary>
internal static class TermVectors
{
    /// <summary>The words that count: two characters or more (numbers too: a score, a toll or a year tells events apart).</summary>
    public static IEnumerable<string> Terms(IEnumerable<string> words) =>
        words.Where(w => w.Length > 1);

    /// <summary>
    /// (1 + log tf) · idf, with idf = log((N + 1) / (df + 1)) + 1 from the archive's counts, L2-normalised.
    /// </summary>
    public static Dictionary<string, double> TfIdf(IEnumerable<string> terms, IReadOnlyDictionary<string, int> documentFrequency, int documents)
    {
        var vector = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (term, count) in terms.CountBy(t => t))
        {
            int df = documentFrequency.GetValueOrDefault(term);
            vector[term] = (1 + Math.Log(count)) * (Math.Log((documents + 1.0) / (df + 1.0)) + 1);
        }

        Normalise(vector);
        return vector;
    }

    public static void Normalise(Dictionary<string, double> vector)
    {
        double norm = Math.Sqrt(vector.Values.Sum(v => v * v));
        if (norm > 0)
        {
            foreach (var key in vector.Keys)
            {
                vector[key] /= norm;
            }
        }
    }

    public static double Cosine<TValue>(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, TValue> b, Func<string, TValue, double> value)
    {
        double dot = 0, nb = 0;
        foreach (var (key, v) in b)
        {
            double x = value(key, v);
            nb += x * x;
            if (a.TryGetValue(key, out var y))
            {
                dot += x * y;
            }
        }

        double na = Math.Sqrt(a.Values.Sum(v => v * v));
        return na > 0 && nb > 0 ? dot / (na * Math.Sqrt(nb)) : 0;
    }

    /// <summary>The <paramref name="count"/> heaviest entries, heaviest first (ties by key, so the same everywhere).</summary>
    public static IEnumerable<KeyValuePair<string, double>> Top(IReadOnlyDictionary<string, double> vector, int count) =>
        vector.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(count);
}
