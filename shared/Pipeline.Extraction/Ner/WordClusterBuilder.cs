using System.Globalization;

namespace Pipeline.Extraction.Ner;

/// <summary>
/// Distributional word clusters from unlabelled text: every word seen often enough is described by its left and
/// right neighbours (positive PMI over the most frequent words), and clustered by hierarchical spherical k-means
/// (16 x 16 x 8). A word's cluster is its path "a-b-c"; the tagger uses the prefixes, as with Brown clusters.
/// Deterministic for a given corpus and seed.
/// </summary>
public static class WordClusterBuilder
{
    private const int ContextWords = 1000;
    private static readonly int[] Branching = [16, 16, 8];

    /// <summary>Sentences (as words) of CoNLL files (first column) and plain-text files (tokenised).</summary>
    public static List<string[]> ReadCorpus(IEnumerable<string> conllFiles, IEnumerable<string> textFiles)
    {
        var corpus = new List<string[]>();
        foreach (var file in conllFiles)
        {
            foreach (var doc in Conll.Read(file))
            {
                foreach (var s in doc.Sentences)
                {
                    corpus.Add(doc.Words[s.First..s.End]);
                }
            }
        }

        foreach (var file in textFiles)
        {
            var (words, sentences, _) = NerTrainer.Prepare(File.ReadAllText(file));
            foreach (var s in sentences)
            {
                corpus.Add(words[s.First..s.End]);
            }
        }

        return corpus;
    }

    /// <summary>Clusters the words seen at least <paramref name="minCount"/> times; writes "word TAB path" lines.</summary>
    public static int Build(List<string[]> corpus, string outputPath, int seed, TextWriter? log = null, int minCount = 2)
    {
        log ??= TextWriter.Null;
        var freq = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in corpus)
        {
            foreach (var w in s)
            {
                freq[Normalize(w)] = freq.GetValueOrDefault(Normalize(w)) + 1;
            }
        }

        var byFreq = freq.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var contextIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var kv in byFreq.Take(ContextWords))
        {
            contextIndex[kv.Key] = contextIndex.Count;
        }

        var vocab = byFreq.Where(kv => kv.Value >= minCount).Select(kv => kv.Key).ToList();
        var vocabIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in vocab)
        {
            vocabIndex[w] = vocabIndex.Count;
        }

        int dims = 2 * (ContextWords + 1);
        var cooc = new Dictionary<int, float>[vocab.Count];
        for (int v = 0; v < vocab.Count; v++)
        {
            cooc[v] = [];
        }

        var contextTotals = new float[dims];
        foreach (var s in corpus)
        {
            for (int i = 0; i < s.Length; i++)
            {
                if (!vocabIndex.TryGetValue(Normalize(s[i]), out int v))
                {
                    continue;
                }

                int left = i > 0 ? contextIndex.GetValueOrDefault(Normalize(s[i - 1]), ContextWords) : ContextWords;
                int right = ContextWords + 1 + (i + 1 < s.Length ? contextIndex.GetValueOrDefault(Normalize(s[i + 1]), ContextWords) : ContextWords);
                cooc[v][left] = cooc[v].GetValueOrDefault(left) + 1;
                cooc[v][right] = cooc[v].GetValueOrDefault(right) + 1;
                contextTotals[left]++;
                contextTotals[right]++;
            }
        }

        float grand = contextTotals.Sum();
        var vectors = new (int[] Idx, float[] Val)[vocab.Count];
        for (int v = 0; v < vocab.Count; v++)
        {
            float rowTotal = cooc[v].Values.Sum();
            var items = cooc[v]
                .Select(kv => (kv.Key, Value: MathF.Max(0, MathF.Log(kv.Value * grand / (rowTotal * contextTotals[kv.Key])))))
                .Where(x => x.Value > 0).OrderBy(x => x.Key).ToArray();
            float norm = MathF.Sqrt(items.Sum(x => x.Value * x.Value));
            vectors[v] = (items.Select(x => x.Key).ToArray(), items.Select(x => norm > 0 ? x.Value / norm : 0).ToArray());
        }

        var paths = new string[vocab.Count];
        var rng = new Random(seed);
        Split(Enumerable.Range(0, vocab.Count).ToArray(), 0, "", vectors, dims, paths, rng);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        using var writer = new StreamWriter(outputPath);
        writer.NewLine = "\n";
        for (int v = 0; v < vocab.Count; v++)
        {
            writer.WriteLine($"{vocab[v]}\t{paths[v]}");
        }

        log.WriteLine($"clusters: {vocab.Count} words (min count {minCount}), {corpus.Count} sentences");
        return vocab.Count;
    }

    private static string Normalize(string w)
    {
        if (!w.Any(char.IsDigit))
        {
            return w;
        }

        return string.Create(w.Length, w, (span, src) =>
        {
            for (int i = 0; i < src.Length; i++)
            {
                span[i] = char.IsDigit(src[i]) ? '0' : src[i];
            }
        });
    }

    private static void Split(int[] members, int level, string prefix, (int[] Idx, float[] Val)[] vectors, int dims,
        string[] paths, Random rng)
    {
        if (level == Branching.Length || members.Length <= 1)
        {
            foreach (int m in members)
            {
                paths[m] = prefix.Length == 0 ? "0" : prefix;
            }

            return;
        }

        int k = Math.Min(Branching[level], members.Length);
        var assign = KMeans(members, k, vectors, dims, rng);
        for (int c = 0; c < k; c++)
        {
            var sub = members.Where((_, i) => assign[i] == c).ToArray();
            if (sub.Length > 0)
            {
                string p = prefix.Length == 0 ? c.ToString(CultureInfo.InvariantCulture) : prefix + "-" + c.ToString(CultureInfo.InvariantCulture);
                Split(sub, level + 1, p, vectors, dims, paths, rng);
            }
        }
    }

    private static int[] KMeans(int[] members, int k, (int[] Idx, float[] Val)[] vectors, int dims, Random rng)
    {
        var centroids = new float[k][];
        // Seeds: k distinct members chosen at random (deterministic given the generator).
        var chosen = members.OrderBy(_ => rng.Next()).Take(k).ToArray();
        for (int c = 0; c < k; c++)
        {
            centroids[c] = new float[dims];
            var (idx, val) = vectors[chosen[c]];
            for (int j = 0; j < idx.Length; j++)
            {
                centroids[c][idx[j]] = val[j];
            }
        }

        var assign = new int[members.Length];
        for (int iter = 0; iter < 12; iter++)
        {
            bool changed = false;
            for (int i = 0; i < members.Length; i++)
            {
                var (idx, val) = vectors[members[i]];
                int best = 0;
                float bestSim = float.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    float sim = 0;
                    var cen = centroids[c];
                    for (int j = 0; j < idx.Length; j++)
                    {
                        sim += cen[idx[j]] * val[j];
                    }

                    if (sim > bestSim)
                    {
                        bestSim = sim;
                        best = c;
                    }
                }

                if (assign[i] != best || iter == 0)
                {
                    changed |= assign[i] != best;
                    assign[i] = best;
                }
            }

            if (!changed && iter > 0)
            {
                break;
            }

            foreach (var cen in centroids)
            {
                Array.Clear(cen);
            }

            for (int i = 0; i < members.Length; i++)
            {
                var (idx, val) = vectors[members[i]];
                var cen = centroids[assign[i]];
                for (int j = 0; j < idx.Length; j++)
                {
                    cen[idx[j]] += val[j];
                }
            }

            foreach (var cen in centroids)
            {
                float norm = MathF.Sqrt(cen.Sum(x => x * x));
                if (norm > 0)
                {
                    for (int j = 0; j < cen.Length; j++)
                    {
                        cen[j] /= norm;
                    }
                }
            }
        }

        return assign;
    }
}
