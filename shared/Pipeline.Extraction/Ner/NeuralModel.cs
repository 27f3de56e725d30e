using System.IO.Compression;
using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>One direction of a bidirectional LSTM: gates in PyTorch's order (input, forget, cell, output).</summary>
/// <param name="InputWeights">[4·hidden × input], row-major.</param>
/// <param name="HiddenWeights">[4·hidden × hidden], row-major.</param>
/// <param name="Bias">[4·hidden]: PyTorch's two biases added.</param>
public sealed record LstmWeights(float[] InputWeights, float[] HiddenWeights, float[] Bias);

/// <summary>
/// The weights of the accurate tagger (<see cref="NeuralTagger"/>): word vectors (int8 with a scale per row), a
/// character CNN, a BiLSTM over words, characters and <see cref="DocumentFeatures.Indicators"/>, a linear layer to
/// BILOU emission scores and a CRF. Written by tests/Pipeline.NeuralTraining, read here without TorchSharp.
/// </summary>
public sealed class NeuralModel
{
    private const int Magic = 0x314E4E42; // "BNN1"

    /// <summary>Lower-cased words with vectors; word <c>i</c> is row <c>i + 1</c>, row 0 is the unknown word.</summary>
    public required string[] Words { get; init; }

    public required int WordDim { get; init; }

    /// <summary>[(words + 1) × <see cref="WordDim"/>] quantised vectors; a row's values times its scale.</summary>
    public required sbyte[] WordVectors { get; init; }

    public required float[] WordScales { get; init; }

    /// <summary>Characters with vectors; character <c>i</c> is row <c>i + 2</c>; 0 pads, 1 is the unknown character.</summary>
    public required string Chars { get; init; }

    public required int CharDim { get; init; }

    /// <summary>The most characters of a word the CNN sees (the first ones).</summary>
    public required int MaxChars { get; init; }

    public required float[] CharVectors { get; init; }

    /// <summary>
    /// [filters × 3 × char dim]: width 3 over the previous, own and next character (zero vectors beyond the word).
    /// </summary>
    public required float[] ConvWeights { get; init; }

    public required float[] ConvBias { get; init; }

    public required int Hidden { get; init; }

    public required LstmWeights Forward { get; init; }

    public required LstmWeights Backward { get; init; }

    /// <summary>[labels × 2·hidden]: forward then backward state.</summary>
    public required float[] OutputWeights { get; init; }

    public required float[] OutputBias { get; init; }

    public required Crf Crf { get; init; }

    /// <summary>
    /// What the fast tagger's label for a word adds to that label's emission score (an ensemble with it); 0 runs the
    /// network alone. The trainer picks it on eng.testa after training.
    /// </summary>
    public float PerceptronVote { get; set; }

    public int Filters => ConvBias.Length;

    /// <summary>The LSTM's input: word vector, character features, indicators.</summary>
    public int InputSize => WordDim + Filters + IndicatorCount;

    /// <summary>Length of each token's <see cref="Indicators"/>.</summary>
    public const int IndicatorCount = DocumentFeatures.IndicatorCount;

    /// <summary>The form a word's vector is looked up by (GloVe's vocabulary is lower case).</summary>
    public static string WordKey(string word) => word.ToLowerInvariant();

    /// <summary>Each token's 0/1 inputs besides its word and characters, [tokens × <see cref="IndicatorCount"/>].</summary>
    public static float[] Indicators(string[] words, Sentence[] sentences, Lexicon lexicon, EntityMemory? memory)
    {
        ArgumentNullException.ThrowIfNull(words);
        var doc = new DocumentFeatures(words, sentences, lexicon, memory);
        var values = new float[words.Length * IndicatorCount];
        for (int i = 0; i < words.Length; i++)
        {
            doc.Indicators(i, values.AsSpan(i * IndicatorCount, IndicatorCount));
        }

        return values;
    }

    /// <summary>Rows of <paramref name="dim"/> values as int8 with a scale per row (its largest magnitude / 127).</summary>
    public static (sbyte[] Values, float[] Scales) Quantise(ReadOnlySpan<float> rows, int dim)
    {
        int count = rows.Length / dim;
        var values = new sbyte[rows.Length];
        var scales = new float[count];
        for (int r = 0; r < count; r++)
        {
            var row = rows.Slice(r * dim, dim);
            float max = 0;
            foreach (float v in row)
            {
                max = Math.Max(max, Math.Abs(v));
            }

            float scale = max > 0 ? max / 127f : 1f;
            scales[r] = scale;
            for (int d = 0; d < dim; d++)
            {
                values[(r * dim) + d] = (sbyte)Math.Round(row[d] / scale);
            }
        }

        return (values, scales);
    }

    public void Save(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(brotli);
        writer.Write(Magic);
        writer.Write(DocumentFeatures.IndicatorCount);
        writer.Write(Words.Length);
        foreach (var w in Words)
        {
            writer.Write(w);
        }

        writer.Write(WordDim);
        writer.Write(MemoryMarshalBytes(WordVectors));
        WriteFloats(writer, WordScales);
        writer.Write(Chars);
        writer.Write(CharDim);
        writer.Write(MaxChars);
        WriteFloats(writer, CharVectors);
        WriteFloats(writer, ConvWeights);
        WriteFloats(writer, ConvBias);
        writer.Write(Hidden);
        foreach (var lstm in new[] { Forward, Backward })
        {
            WriteFloats(writer, lstm.InputWeights);
            WriteFloats(writer, lstm.HiddenWeights);
            WriteFloats(writer, lstm.Bias);
        }

        WriteFloats(writer, OutputWeights);
        WriteFloats(writer, OutputBias);
        WriteFloats(writer, Crf.Transitions);
        WriteFloats(writer, Crf.Start);
        WriteFloats(writer, Crf.End);
        writer.Write(PerceptronVote);
    }

    public static NeuralModel Load(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(new BufferedStream(brotli, 1 << 16));
        if (reader.ReadInt32() != Magic)
        {
            throw new InvalidDataException("not a neural tagger model");
        }

        if (reader.ReadInt32() != DocumentFeatures.IndicatorCount)
        {
            throw new InvalidDataException("the model was trained with other indicator features; retrain it");
        }

        var words = new string[reader.ReadInt32()];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = reader.ReadString();
        }

        int wordDim = reader.ReadInt32();
        var wordVectors = new sbyte[(words.Length + 1) * wordDim];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(wordVectors.AsSpan()));
        var wordScales = ReadFloats(reader);
        string chars = reader.ReadString();
        int charDim = reader.ReadInt32();
        int maxChars = reader.ReadInt32();
        var charVectors = ReadFloats(reader);
        var convWeights = ReadFloats(reader);
        var convBias = ReadFloats(reader);
        int hidden = reader.ReadInt32();
        var forward = new LstmWeights(ReadFloats(reader), ReadFloats(reader), ReadFloats(reader));
        var backward = new LstmWeights(ReadFloats(reader), ReadFloats(reader), ReadFloats(reader));
        var outputWeights = ReadFloats(reader);
        var outputBias = ReadFloats(reader);
        var crf = new Crf(ReadFloats(reader), ReadFloats(reader), ReadFloats(reader));
        float perceptronVote = reader.ReadSingle();
        return new NeuralModel
        {
            Words = words,
            WordDim = wordDim,
            WordVectors = wordVectors,
            WordScales = wordScales,
            Chars = chars,
            CharDim = charDim,
            MaxChars = maxChars,
            CharVectors = charVectors,
            ConvWeights = convWeights,
            ConvBias = convBias,
            Hidden = hidden,
            Forward = forward,
            Backward = backward,
            OutputWeights = outputWeights,
            OutputBias = outputBias,
            Crf = crf,
            PerceptronVote = perceptronVote,
        };
    }

    private static ReadOnlySpan<byte> MemoryMarshalBytes(sbyte[] values) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan());

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        writer.Write(values.Length);
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static float[] ReadFloats(BinaryReader reader)
    {
        var values = new float[reader.ReadInt32()];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
