using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>Greedy left-to-right BILOU tagging with an averaged-perceptron model; thread-safe.</summary>
public sealed class NerTagger
{
    private readonly NerModel _model;
    private readonly NerModel? _stage2;

    public NerTagger(NerModel model, NerModel? stage2, Lexicon lexicon)
    {
        _model = model;
        _stage2 = stage2;
        Lexicon = lexicon;
    }

    public Lexicon Lexicon { get; }

    public NerModel Model => _model;

    public NerModel? Stage2 => _stage2;

    /// <summary>Labels (see <see cref="Labels"/>) for every word of a document.</summary>
    public int[] Tag(string[] words, Sentence[] sentences)
    {
        var doc = new DocumentFeatures(words, sentences, Lexicon);
        var labels = new int[words.Length];
        Decode(doc, labels, _model.Lookup, _model.Weights);
        if (_stage2 is not null)
        {
            doc.SetStage1(labels);
            labels = new int[words.Length];
            Decode(doc, labels, _stage2.Lookup, _stage2.Weights);
        }

        return labels;
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
