using System.IO.Compression;

namespace Pipeline.Extraction.Ner;

/// <summary>
/// The names the training data annotates, as hashes of their lower-cased words with the classes they were given:
/// a gazetteer learnt from the training labels. Only hashes are stored, never the words. During training each
/// document sees the memory of the other folds only, so that the feature is not trusted more than it deserves.
/// </summary>
public sealed class EntityMemory
{
    private const int Magic = 0x314D454E; // "NEM1"
    internal const int PrefixBit = 1 << 30;

    private readonly Dictionary<ulong, int> _entries = [];

    public int MaxTokens { get; private set; } = 1;

    public int Count => _entries.Count;

    public static EntityMemory FromDocuments(IEnumerable<ConllDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var memory = new EntityMemory();
        foreach (var doc in documents)
        {
            foreach (var sent in doc.Sentences)
            {
                foreach (var (first, last, cls) in Labels.Spans(doc.Labels.AsSpan(sent.First, sent.Count)))
                {
                    ulong h = Lexicon.PhraseSeed;
                    for (int t = sent.First + first; t <= sent.First + last; t++)
                    {
                        if (t > sent.First + first)
                        {
                            memory._entries[h] = memory._entries.GetValueOrDefault(h) | PrefixBit;
                        }

                        h = Hashing.Combine(h, Hashing.OfNormalized(doc.Words[t]));
                    }

                    memory._entries[h] = memory._entries.GetValueOrDefault(h) | (1 << cls);
                    memory.MaxTokens = Math.Max(memory.MaxTokens, last - first + 1);
                }
            }
        }

        return memory;
    }

    /// <summary>Classes (bit mask) of the name whose running hash this is; whether longer names start with it.</summary>
    internal int Classes(ulong phraseHash, out bool longer)
    {
        int v = _entries.GetValueOrDefault(phraseHash);
        longer = (v & PrefixBit) != 0;
        return v & 0xF;
    }

    public void Save(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
        using var writer = new BinaryWriter(brotli);
        writer.Write(Magic);
        writer.Write(MaxTokens);
        writer.Write(_entries.Count);
        foreach (var (k, v) in _entries.OrderBy(e => e.Key))
        {
            writer.Write(k);
            writer.Write(v);
        }
    }

    public static EntityMemory Load(Stream stream)
    {
        using var brotli = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(new BufferedStream(brotli, 1 << 16));
        if (reader.ReadInt32() != Magic)
        {
            throw new InvalidDataException("not an entity memory");
        }

        var memory = new EntityMemory { MaxTokens = reader.ReadInt32() };
        int count = reader.ReadInt32();
        memory._entries.EnsureCapacity(count);
        for (int i = 0; i < count; i++)
        {
            memory._entries[reader.ReadUInt64()] = reader.ReadInt32();
        }

        return memory;
    }
}
