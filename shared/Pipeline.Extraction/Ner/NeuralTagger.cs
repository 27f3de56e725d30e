using System.Numerics;
using System.Runtime.InteropServices;
using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>
/// The accurate tagger: a BiLSTM-CNN-CRF (<see cref="NeuralModel"/>) run in plain C#, per sentence: each word's input is
/// its vector, the max-pooled character CNN and the <see cref="NeuralModel.Indicators"/> (gazetteers, entity memory,
/// case, document facts); a BiLSTM, a linear layer to BILOU emission scores, the fast tagger's labels as votes (an
/// ensemble), and CRF Viterbi decoding. Thread-safe.
/// </summary>
public sealed class NeuralTagger : IEntityTagger
{
    private readonly NeuralModel _model;
    private readonly EntityMemory? _memory;
    private readonly Dictionary<string, int> _wordRow;
    private readonly Dictionary<char, int> _charRow;

    // The CNN's response to each character at each of the 3 window places: [char row × 3 × filters]. A word's
    // filter values are then sums of looked-up rows rather than products.
    private readonly float[] _charResponse;

    private readonly NerTagger? _perceptron;
    private readonly float _perceptronVote;

    /// <param name="model">The network.</param>
    /// <param name="lexicon">The gazetteers (the fast tagger's).</param>
    /// <param name="memory">The entity memory (the fast tagger's).</param>
    /// <param name="perceptron">The fast tagger: when given and <paramref name="perceptronVote"/> is not 0, its label
    /// for each word adds the vote to that label's emission score before decoding (an ensemble).</param>
    /// <param name="perceptronVote">Default: the model's <see cref="NeuralModel.PerceptronVote"/>.</param>
    public NeuralTagger(NeuralModel model, Lexicon lexicon, EntityMemory? memory, NerTagger? perceptron = null, float? perceptronVote = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _memory = memory;
        _perceptronVote = perceptronVote ?? model.PerceptronVote;
        _perceptron = _perceptronVote != 0 ? perceptron : null;
        Lexicon = lexicon;
        _wordRow = new Dictionary<string, int>(model.Words.Length, StringComparer.Ordinal);
        for (int i = 0; i < model.Words.Length; i++)
        {
            _wordRow[model.Words[i]] = i + 1;
        }

        _charRow = [];
        for (int i = 0; i < model.Chars.Length; i++)
        {
            _charRow[model.Chars[i]] = i + 2;
        }

        int filters = model.Filters, dim = model.CharDim, chars = model.Chars.Length + 2;
        _charResponse = new float[chars * 3 * filters];
        for (int c = 0; c < chars; c++)
        {
            var vector = model.CharVectors.AsSpan(c * dim, dim);
            for (int j = 0; j < 3; j++)
            {
                for (int f = 0; f < filters; f++)
                {
                    float sum = 0;
                    for (int d = 0; d < dim; d++)
                    {
                        sum += model.ConvWeights[(((f * 3) + j) * dim) + d] * vector[d];
                    }

                    _charResponse[(((c * 3) + j) * filters) + f] = sum;
                }
            }
        }
    }

    public Lexicon Lexicon { get; }

    public NeuralModel Model => _model;

    public int[] Tag(string[] words, Sentence[] sentences)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(sentences);
        var indicators = NeuralModel.Indicators(words, sentences, Lexicon, _memory);
        var votes = _perceptron?.Tag(words, sentences);
        var labels = new int[words.Length];
        foreach (var sent in sentences)
        {
            var emissions = Emissions(words, indicators, sent);
            if (votes is not null)
            {
                for (int t = 0; t < sent.Count; t++)
                {
                    emissions[(t * Labels.Count) + votes[sent.First + t]] += _perceptronVote;
                }
            }

            _model.Crf.Viterbi(emissions, labels.AsSpan(sent.First, sent.Count));
        }

        return labels;
    }

    /// <summary>The BILOU emission scores of a sentence's words, [words × labels].</summary>
    internal float[] Emissions(string[] words, float[] indicators, Sentence sent)
    {
        var m = _model;
        int n = sent.Count, input = m.InputSize, hidden = m.Hidden;
        var x = new float[n * input];
        for (int t = 0; t < n; t++)
        {
            var row = x.AsSpan(t * input, input);
            string word = words[sent.First + t];
            int w = _wordRow.GetValueOrDefault(NeuralModel.WordKey(word));
            float scale = m.WordScales[w];
            var quantised = m.WordVectors.AsSpan(w * m.WordDim, m.WordDim);
            for (int d = 0; d < m.WordDim; d++)
            {
                row[d] = quantised[d] * scale;
            }

            CharFeatures(word, row.Slice(m.WordDim, m.Filters));
            indicators.AsSpan((sent.First + t) * NeuralModel.IndicatorCount, NeuralModel.IndicatorCount)
                .CopyTo(row[(m.WordDim + m.Filters)..]);
        }

        // [words × 2·hidden]: the forward state, then the backward state.
        var states = new float[n * 2 * hidden];
        Lstm.Run(m.Forward, x, input, hidden, states, 0, reverse: false);
        Lstm.Run(m.Backward, x, input, hidden, states, hidden, reverse: true);
        var emissions = new float[n * Labels.Count];
        for (int t = 0; t < n; t++)
        {
            var state = states.AsSpan(t * 2 * hidden, 2 * hidden);
            for (int l = 0; l < Labels.Count; l++)
            {
                emissions[(t * Labels.Count) + l] = m.OutputBias[l] + Lstm.Dot(m.OutputWeights.AsSpan(l * 2 * hidden, 2 * hidden), state);
            }
        }

        return emissions;
    }

    /// <summary>Max over the word's places of each filter's width-3 window (zero beyond the word's ends).</summary>
    private void CharFeatures(string word, Span<float> into)
    {
        int filters = _model.Filters;
        int n = Math.Min(word.Length, _model.MaxChars);
        Span<int> rows = stackalloc int[n];
        for (int p = 0; p < n; p++)
        {
            rows[p] = _charRow.GetValueOrDefault(word[p], 1);
        }

        into.Fill(float.NegativeInfinity);
        Span<float> sum = stackalloc float[filters];
        for (int p = 0; p < n; p++)
        {
            _model.ConvBias.CopyTo(sum);
            for (int j = 0; j < 3; j++)
            {
                int q = p + j - 1;
                if (q >= 0 && q < n)
                {
                    Lstm.Add(sum, _charResponse.AsSpan(((rows[q] * 3) + j) * filters, filters));
                }
            }

            for (int f = 0; f < filters; f++)
            {
                into[f] = Math.Max(into[f], sum[f]);
            }
        }
    }
}

/// <summary>One direction of an LSTM over a sentence, and the vector arithmetic it needs.</summary>
public static class Lstm
{
    /// <summary>
    /// Runs <paramref name="weights"/> over the rows of <paramref name="x"/> ([words × input]) and writes each word's
    /// hidden state at column <paramref name="column"/> of <paramref name="states"/> ([words × 2·hidden]).
    /// </summary>
    public static void Run(LstmWeights weights, float[] x, int input, int hidden, float[] states, int column, bool reverse)
    {
        int n = x.Length / input;
        var gates = new float[4 * hidden];
        var h = new float[hidden];
        var c = new float[hidden];
        for (int step = 0; step < n; step++)
        {
            int t = reverse ? n - 1 - step : step;
            var xt = x.AsSpan(t * input, input);
            for (int r = 0; r < 4 * hidden; r++)
            {
                gates[r] = weights.Bias[r]
                           + Dot(weights.InputWeights.AsSpan(r * input, input), xt)
                           + Dot(weights.HiddenWeights.AsSpan(r * hidden, hidden), h);
            }

            for (int k = 0; k < hidden; k++)
            {
                float i = Sigmoid(gates[k]);
                float f = Sigmoid(gates[hidden + k]);
                float g = MathF.Tanh(gates[(2 * hidden) + k]);
                float o = Sigmoid(gates[(3 * hidden) + k]);
                c[k] = (f * c[k]) + (i * g);
                h[k] = o * MathF.Tanh(c[k]);
            }

            h.CopyTo(states.AsSpan((t * 2 * hidden) + column, hidden));
        }
    }

    private static float Sigmoid(float v) => 1f / (1f + MathF.Exp(-v));

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var acc = Vector<float>.Zero;
        for (int i = 0; i < va.Length; i++)
        {
            acc += va[i] * vb[i];
        }

        float sum = Vector.Sum(acc);
        for (int i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    public static void Add(Span<float> into, ReadOnlySpan<float> values)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] += values[i];
        }
    }
}
