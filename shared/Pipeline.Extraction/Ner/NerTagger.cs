using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>BILOU tagging with an averaged structured perceptron and beam search (<see cref="BeamSearch"/>); thread-safe.</summary>
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
        Span<ulong> feats = stackalloc ulong[DocumentFeatures.MaxStatic];
        var history = new Dictionary<ulong, int[]>();
        float[] scores = [];
        foreach (var sent in doc.Sentences)
        {
            if (scores.Length < sent.Count * Labels.Count)
            {
                scores = new float[sent.Count * Labels.Count * 2];
            }

            Array.Clear(scores, 0, sent.Count * Labels.Count);
            for (int i = sent.First; i < sent.End; i++)
            {
                var own = scores.AsSpan((i - sent.First) * Labels.Count, Labels.Count);
                for (int j = offsets[i]; j < offsets[i + 1]; j++)
                {
                    BeamSearch.Add(own, weights.Slice(textRows[j] * Labels.Count, Labels.Count));
                }

                int n = stage2 ? doc.Stage1Features(i, feats) : 0;
                for (int f = 0; f < n; f++)
                {
                    int row = table.Row(feats[f]);
                    if (row >= 0)
                    {
                        BeamSearch.Add(own, weights.Slice(row * Labels.Count, Labels.Count));
                    }
                }
            }

            BeamSearch.Decode(doc, sent, scores, table, weights, history, labels.AsSpan(sent.First, sent.Count));
            BeamSearch.Remember(doc, sent, labels.AsSpan(sent.First, sent.Count), history);
        }
    }

    /// <summary>Decodes a document with any row lookup (training's evaluation and the jackknife).</summary>
    internal static void Decode<TLookup>(DocumentFeatures doc, int[] labels, TLookup rowOf, ReadOnlySpan<float> weights)
        where TLookup : IRowLookup
    {
        Span<ulong> feats = stackalloc ulong[DocumentFeatures.MaxStatic];
        var history = new Dictionary<ulong, int[]>();
        float[] scores = [];
        foreach (var sent in doc.Sentences)
        {
            if (scores.Length < sent.Count * Labels.Count)
            {
                scores = new float[sent.Count * Labels.Count * 2];
            }

            Array.Clear(scores, 0, sent.Count * Labels.Count);
            for (int i = sent.First; i < sent.End; i++)
            {
                var own = scores.AsSpan((i - sent.First) * Labels.Count, Labels.Count);
                int n = doc.Static(i, feats);
                for (int f = 0; f < n; f++)
                {
                    int row = rowOf.Row(feats[f]);
                    if (row >= 0)
                    {
                        BeamSearch.Add(own, weights.Slice(row * Labels.Count, Labels.Count));
                    }
                }
            }

            BeamSearch.Decode(doc, sent, scores, rowOf, weights, history, labels.AsSpan(sent.First, sent.Count));
            BeamSearch.Remember(doc, sent, labels.AsSpan(sent.First, sent.Count), history);
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
}
