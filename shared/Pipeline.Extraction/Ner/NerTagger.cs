using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>Greedy left-to-right BILOU tagging with an averaged-perceptron model; thread-safe.</summary>
public sealed class NerTagger
{
    private readonly NerModel _model;
    private readonly NerModel? _stage2;

    // Run time: one table over the features of both stages, and each stage's weights in the table's row order,
    // so that a text feature is looked up once for both stages.
    private readonly FeatureTable _table;
    private readonly float[] _weights1;
    private readonly float[]? _weights2;

    private readonly EntityMemory? _memory;

    public NerTagger(NerModel model, NerModel? stage2, Lexicon lexicon, EntityMemory? memory = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _memory = memory;
        _stage2 = stage2;
        Lexicon = lexicon;
        var rowOf = new Dictionary<ulong, int>(model.Keys.Length + (stage2?.Keys.Length ?? 0));
        foreach (var k in model.Keys)
        {
            rowOf.TryAdd(k, rowOf.Count);
        }

        if (stage2 is not null)
        {
            foreach (var k in stage2.Keys)
            {
                rowOf.TryAdd(k, rowOf.Count);
            }
        }

        var keys = new ulong[rowOf.Count];
        foreach (var (k, r) in rowOf)
        {
            keys[r] = k;
        }

        _table = new FeatureTable(keys);
        _weights1 = Spread(model, rowOf);
        _weights2 = stage2 is null ? null : Spread(stage2, rowOf);
    }

    private static float[] Spread(NerModel model, Dictionary<ulong, int> rowOf)
    {
        var w = new float[rowOf.Count * Labels.Count];
        var src = model.Weights;
        for (int r = 0; r < model.Keys.Length; r++)
        {
            src.Slice(r * Labels.Count, Labels.Count).CopyTo(w.AsSpan(rowOf[model.Keys[r]] * Labels.Count));
        }

        return w;
    }

    public Lexicon Lexicon { get; }

    public NerModel Model => _model;

    public NerModel? Stage2 => _stage2;

    public EntityMemory? Memory => _memory;

    /// <summary>Labels (see <see cref="Labels"/>) for every word of a document.</summary>
    public int[] Tag(string[] words, Sentence[] sentences)
    {
        var doc = new DocumentFeatures(words, sentences, Lexicon, _memory);
        int n = words.Length;
        Span<ulong> feats = stackalloc ulong[DocumentFeatures.MaxStatic + DocumentFeatures.MaxDynamic];
        var offsets = new int[n + 1];
        var rows = new List<int>(n * 32);
        var table = new TableLookup(_table);
        for (int i = 0; i < n; i++)
        {
            offsets[i] = rows.Count;
            int k = doc.TextOnly(i, feats);
            for (int f = 0; f < k; f++)
            {
                int r = _table.Row(feats[f]);
                if (r >= 0)
                {
                    rows.Add(r);
                }
            }
        }

        offsets[n] = rows.Count;
        var textRows = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows);
        var labels = new int[n];
        DecodeCached(doc, labels, textRows, offsets, table, _weights1, stage2: false);
        if (_weights2 is not null)
        {
            doc.SetStage1(labels);
            labels = new int[n];
            DecodeCached(doc, labels, textRows, offsets, table, _weights2, stage2: true);
        }

        return labels;
    }

    private static void DecodeCached(DocumentFeatures doc, int[] labels, ReadOnlySpan<int> textRows, int[] offsets,
        TableLookup table, ReadOnlySpan<float> weights, bool stage2)
    {
        Span<ulong> feats = stackalloc ulong[DocumentFeatures.MaxStatic + DocumentFeatures.MaxDynamic];
        Span<float> scores = stackalloc float[Labels.Count];
        var history = new Dictionary<ulong, int[]>();
        foreach (var sent in doc.Sentences)
        {
            int prev1 = Labels.O, prev2 = Labels.O;
            for (int i = sent.First; i < sent.End; i++)
            {
                scores.Clear();
                for (int j = offsets[i]; j < offsets[i + 1]; j++)
                {
                    Add(scores, weights.Slice(textRows[j] * Labels.Count, Labels.Count));
                }

                int n = stage2 ? doc.Stage1Features(i, feats) : 0;
                int[]? hist = null;
                if (doc.IsCapitalised(i))
                {
                    history.TryGetValue(doc.NormHash(i), out hist);
                }

                n += doc.Dynamic(i, prev1, prev2, hist, feats[n..]);
                for (int f = 0; f < n; f++)
                {
                    int row = table.Row(feats[f]);
                    if (row >= 0)
                    {
                        Add(scores, weights.Slice(row * Labels.Count, Labels.Count));
                    }
                }

                int best = Best(scores, prev1, i == sent.End - 1);
                labels[i] = best;
                if (doc.IsCapitalised(i))
                {
                    Remember(history, doc.NormHash(i), best);
                }

                prev2 = prev1;
                prev1 = best;
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Add(Span<float> scores, ReadOnlySpan<float> w)
    {
        var v = System.Numerics.Vector.Create<float>(scores) + System.Numerics.Vector.Create<float>(w);
        v.CopyTo(scores);
        for (int l = System.Numerics.Vector<float>.Count; l < Labels.Count; l++)
        {
            scores[l] += w[l];
        }
    }

    /// <summary>Decodes a document with any row lookup (shared by training's evaluation and run time).</summary>
    internal static void Decode<TLookup>(DocumentFeatures doc, int[] labels, TLookup rowOf, ReadOnlySpan<float> weights)
        where TLookup : IRowLookup
    {
        Span<ulong> feats = stackalloc ulong[DocumentFeatures.MaxStatic + DocumentFeatures.MaxDynamic];
        Span<float> scores = stackalloc float[Labels.Count];
        var history = new Dictionary<ulong, int[]>();
        foreach (var sent in doc.Sentences)
        {
            int prev1 = Labels.O, prev2 = Labels.O;
            for (int i = sent.First; i < sent.End; i++)
            {
                int n = doc.Static(i, feats);
                int[]? hist = null;
                if (doc.IsCapitalised(i))
                {
                    history.TryGetValue(doc.NormHash(i), out hist);
                }

                n += doc.Dynamic(i, prev1, prev2, hist, feats[n..]);
                scores.Clear();
                for (int f = 0; f < n; f++)
                {
                    int row = rowOf.Row(feats[f]);
                    if (row >= 0)
                    {
                        var w = weights.Slice(row * Labels.Count, Labels.Count);
                        var v = System.Numerics.Vector.Create<float>(scores) + System.Numerics.Vector.Create<float>(w);
                        v.CopyTo(scores);
                        for (int l = System.Numerics.Vector<float>.Count; l < Labels.Count; l++)
                        {
                            scores[l] += w[l];
                        }
                    }
                }

                int best = Best(scores, prev1, i == sent.End - 1);
                labels[i] = best;
                if (doc.IsCapitalised(i))
                {
                    Remember(history, doc.NormHash(i), best);
                }

                prev2 = prev1;
                prev1 = best;
            }
        }
    }

    internal static void Remember(Dictionary<ulong, int[]> history, ulong key, int label)
    {
        if (!history.TryGetValue(key, out var h))
        {
            h = new int[5];
            history[key] = h;
        }

        int c = Labels.ClassOf(label);
        h[c < 0 ? 4 : c]++;
    }

    /// <summary>Best label allowed after <paramref name="prev"/>; at a sentence's end no span may stay open.</summary>
    internal static int Best(ReadOnlySpan<float> scores, int prev, bool last)
    {
        int best = -1;
        float bestScore = float.NegativeInfinity;
        for (int l = 0; l < Labels.Count; l++)
        {
            if (!Labels.Allowed(prev, l) || (last && Labels.PartOf(l) is 0 or 1))
            {
                continue;
            }

            if (scores[l] > bestScore)
            {
                bestScore = scores[l];
                best = l;
            }
        }

        return best < 0 ? Labels.O : best;
    }
}
