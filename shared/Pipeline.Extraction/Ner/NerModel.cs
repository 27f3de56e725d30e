using System.IO.Compression;

namespace Pipeline.Extraction.Ner;

/// <summary>
/// Weights of the averaged perceptron: one row of <see cref="Labels.Count"/> weights per feature hash.
/// Stored Brotli-compressed: feature hash, then the non-zero weights of its row as half floats.
/// </summary>
public sealed class NerModel
{
    private const int Magic = 0x314E4552; // "RNE1"

    private readonly FeatureTable _rows;
    private readonly float[] _weights;

    internal NerModel(ulong[] keys, float[] weights)
    {
        _rows = new FeatureTable(keys);
        _weights = weights;
        Keys = keys;
        FeatureCount = keys.Length;
    }

    internal ulong[] Keys { get; }

    public int FeatureCount { get; }

    internal ReadOnlySpan<float> Weights => _weights;

    internal TableLookup Lookup => new(_rows);

    public static NerModel Load(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var buffered = new BufferedStream(brotli, 1 << 16);
        using var reader = new BinaryReader(buffered);
        if (reader.ReadInt32() != Magic)
        {
            throw new InvalidDataException("not an NER model");
        }

        int labels = reader.ReadInt32();
        if (labels != Labels.Count)
        {
            throw new InvalidDataException($"model has {labels} labels, expected {Labels.Count}");
        }

        int count = reader.ReadInt32();
        var keys = new ulong[count];
        var weights = new float[count * Labels.Count];
        for (int r = 0; r < count; r++)
        {
            keys[r] = reader.ReadUInt64();
            int nnz = reader.ReadByte();
            for (int j = 0; j < nnz; j++)
            {
                int label = reader.ReadByte();
                weights[(r * Labels.Count) + label] = (float)reader.ReadHalf();
            }
        }

        return new NerModel(keys, weights);
    }

    /// <summary>Writes the rows whose weights are not all (nearly) zero.</summary>
    internal static void Save(Stream stream, IReadOnlyDictionary<ulong, int> rows, ReadOnlySpan<float> weights, float epsilon)
    {
        var keep = new List<(ulong Key, int Row)>();
        foreach (var (key, row) in rows)
        {
            var w = weights.Slice(row * Labels.Count, Labels.Count);
            foreach (float x in w)
            {
                if (Math.Abs(x) > epsilon)
                {
                    keep.Add((key, row));
                    break;
                }
            }
        }

        keep.Sort((a, b) => a.Key.CompareTo(b.Key));
        using var brotli = new BrotliStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(brotli);
        writer.Write(Magic);
        writer.Write(Labels.Count);
        writer.Write(keep.Count);
        Span<byte> idx = stackalloc byte[Labels.Count];
        foreach (var (key, row) in keep)
        {
            var w = weights.Slice(row * Labels.Count, Labels.Count);
            int nnz = 0;
            for (int l = 0; l < Labels.Count; l++)
            {
                if (Math.Abs(w[l]) > epsilon)
                {
                    idx[nnz++] = (byte)l;
                }
            }

            writer.Write(key);
            writer.Write((byte)nnz);
            for (int j = 0; j < nnz; j++)
            {
                writer.Write(idx[j]);
                writer.Write((Half)w[idx[j]]);
            }
        }
    }
}
