using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>BILOU tagging with an averaged structured perceptron and beam search (<see cref="BeamSearch"/>); thread-safe.</summary>
public sealed class NerTagger : IEntityTagger
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
        var textFeatures = new TextFeatureRows(textRows, offsets);
        Decode(doc, labels, table, _weights1, textFeatures);
        if (_weights2 is not null)
        {
            doc.SetStage1(labels);
            labels = new int[n];
            Decode(doc, labels, table, _weights2, textFeatures);
        }

        return labels;
    }

    /// <summary>The weight rows of each word's text features, looked up once for both stages of <see cref="Tag"/>.</summary>
    internal readonly ref struct TextFeatureRows(ReadOnlySpan<int> rows, int[] offsets)
    {
        private readonly ReadOnlySpan<int> _rows = rows;
        private readonly int[]? _offsets = offsets;

        /// <summary>False for the default value, which has no rows looked up ahead.</summary>
        public bool IsKnown => _offsets is not null;

        /// <summary>The rows of word <paramref name="i"/>.</summary>
        public ReadOnlySpan<int> Of(int i) => _rows[_offsets![i].._offsets[i + 1]];
    }

    /// <summary>
    /// Decodes a document with any row lookup. Without <paramref name="textFeatures"/> (training's evaluation and the
    /// jackknife) every static feature is looked up here; with them, only those of the first stage's labels.
    /// </summary>
    internal static void Decode<TLookup>(DocumentFeatures doc, int[] labels, TLookup rowOf, ReadOnlySpan<float> weights,
        TextFeatureRows textFeatures = default)
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
                int n;
                if (textFeatures.IsKnown)
                {
                    foreach (int row in textFeatures.Of(i))
                    {
                        BeamSearch.Add(own, weights.Slice(row * Labels.Count, Labels.Count));
                    }

                    n = doc.Stage1Features(i, feats);
                }
                else
                {
                    n = doc.Static(i, feats);
                }

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
