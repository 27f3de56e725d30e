using System.Globalization;

namespace Pipeline.Relating;

/// <summary>
/// A text's word 5-grams (hashed to 32 bits, sorted) and their MinHash signature. The signature's bands find
/// candidate copies through postings; the exact 5-grams confirm them by containment. Only the 5-grams are stored:
/// with them the similarity is exact, and the signature is not needed again.
/// </summary>
internal sealed class ShingleSketch
{
    public const int ShingleWords = 5;
    public const int Hashes = 64;

    /// <summary>
    /// Two minima per band: a band matches with probability J², so a copy with a third of the other's 5-grams
    /// (J ≈ 0.3, a page saved with its chrome) still meets it in about three of the 32 bands.
    /// </summary>
    public const int RowsPerBand = 2;

    private ShingleSketch(uint[] shingles, ulong[] signature)
    {
        Shingles = shingles;
        Signature = signature;
    }

    /// <summary>Distinct 5-gram hashes, ascending.</summary>
    public uint[] Shingles { get; }

    public ulong[] Signature { get; }

    public static ShingleSketch Of(IReadOnlyList<string> words)
    {
        var set = new HashSet<uint>();
        int n = Math.Max(1, words.Count - ShingleWords + 1);
        for (int i = 0; i < n && words.Count > 0; i++)
        {
            int take = Math.Min(ShingleWords, words.Count - i);
            ulong hash = Fingerprint.Of(string.Join(' ', words.Skip(i).Take(take)));
            set.Add((uint)(hash ^ (hash >> 32)));
        }

        var shingles = set.ToArray();
        Array.Sort(shingles);
        var signature = new ulong[Hashes];
        Array.Fill(signature, ulong.MaxValue);
        foreach (uint shingle in shingles)
        {
            for (int h = 0; h < Hashes; h++)
            {
                ulong value = Fingerprint.Mix(shingle + ((ulong)(h + 1) << 32));
                if (value < signature[h])
                {
                    signature[h] = value;
                }
            }
        }

        return new ShingleSketch(shingles, signature);
    }

    /// <summary>The posting keys of the signature's bands.</summary>
    public IEnumerable<string> BandKeys()
    {
        if (Shingles.Length == 0)
        {
            yield break;
        }

        for (int band = 0; band < Hashes / RowsPerBand; band++)
        {
            ulong hash = 0;
            for (int row = 0; row < RowsPerBand; row++)
            {
                hash = Fingerprint.Mix(hash ^ Signature[(band * RowsPerBand) + row]);
            }

            yield return string.Create(CultureInfo.InvariantCulture, $"{PostingKeys.Band}{band}:{hash:x16}");
        }
    }

    /// <summary>The share of the smaller set's 5-grams that the other has (containment) and the Jaccard similarity, exactly.</summary>
    public (double Containment, double Similarity) Compare(uint[] other)
    {
        int smaller = Math.Min(Shingles.Length, other.Length);
        if (smaller == 0)
        {
            return (0, 0);
        }

        int i = 0, j = 0, common = 0;
        while (i < Shingles.Length && j < other.Length)
        {
            if (Shingles[i] == other[j])
            {
                common++;
                i++;
                j++;
            }
            else if (Shingles[i] < other[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return ((double)common / smaller, (double)common / (Shingles.Length + other.Length - common));
    }
}
