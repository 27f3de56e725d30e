using System.Runtime.CompilerServices;
using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>
/// Beam search over the BILOU labels of one sentence: a greedy choice commits to a span's class at its first word
/// and cannot take it back, a beam keeps the best few label sequences. A sequence's score is the sum of its
/// tokens' scores: the static ones (text and first-stage features) and the dynamic ones (previous labels, what
/// the same word was labelled earlier in the document, as of the sentence's start).
/// </summary>
internal static class BeamSearch
{
    public const int Width = 4;

    /// <summary>Labels of <paramref name="sent"/> into <paramref name="output"/> (indexed from the sentence's first token).</summary>
    public static void Decode<TLookup>(DocumentFeatures doc, Sentence sent, ReadOnlySpan<float> staticScores, TLookup rows,
        ReadOnlySpan<float> weights, Dictionary<ulong, int[]> history, Span<int> output)
        where TLookup : IRowLookup
    {
        const int L = Labels.Count;
        int n = sent.Count;
        Span<ulong> feats = stackalloc ulong[DocumentFeatures.MaxDynamic];
        Span<float> scores = stackalloc float[L];
        Span<float> own = stackalloc float[L];
        Span<float> beamScore = stackalloc float[Width];
        Span<int> beamP1 = stackalloc int[Width];
        Span<int> beamP2 = stackalloc int[Width];
        Span<float> nextScore = stackalloc float[Width];
        Span<int> nextFrom = stackalloc int[Width];
        Span<int> nextLabel = stackalloc int[Width];
        Span<int> p1 = stackalloc int[Width];
        Span<int> from = n <= 256 ? stackalloc int[256 * Width] : new int[n * Width];
        Span<int> label = n <= 256 ? stackalloc int[256 * Width] : new int[n * Width];
        int size = 1;
        beamScore[0] = 0;
        beamP1[0] = Labels.O;
        beamP2[0] = Labels.O;
        for (int t = 0; t < n; t++)
        {
            int i = sent.First + t;
            int[]? hist = null;
            if (doc.IsCapitalised(i))
            {
                history.TryGetValue(doc.NormHash(i), out hist);
            }

            // The history features are the same for every hypothesis (fixed for the sentence).
            bool last = t == n - 1;
            staticScores.Slice(t * L, L).CopyTo(own);
            int kh = DocumentFeatures.History(hist, feats);
            for (int f = 0; f < kh; f++)
            {
                int row = rows.Row(feats[f]);
                if (row >= 0)
                {
                    Add(own, weights.Slice(row * L, L));
                }
            }

            int next = 0;
            for (int h = 0; h < size; h++)
            {
                own.CopyTo(scores);
                int k = doc.Previous(i, beamP1[h], beamP2[h], feats);
                for (int f = 0; f < k; f++)
                {
                    int row = rows.Row(feats[f]);
                    if (row >= 0)
                    {
                        Add(scores, weights.Slice(row * L, L));
                    }
                }

                foreach (int l in (last ? LastSuccessors : Successors)[beamP1[h]])
                {
                    // Insert into the next beam, kept sorted best first; ties keep the earlier candidate.
                    float s = beamScore[h] + scores[l];
                    if (next == Width && s <= nextScore[Width - 1])
                    {
                        continue;
                    }

                    int at = next < Width ? next++ : Width - 1;
                    while (at > 0 && nextScore[at - 1] < s)
                    {
                        nextScore[at] = nextScore[at - 1];
                        nextFrom[at] = nextFrom[at - 1];
                        nextLabel[at] = nextLabel[at - 1];
                        at--;
                    }

                    nextScore[at] = s;
                    nextFrom[at] = h;
                    nextLabel[at] = l;
                }
            }

            for (int h = 0; h < next; h++)
            {
                from[(t * Width) + h] = nextFrom[h];
                label[(t * Width) + h] = nextLabel[h];
            }

            // The previous labels move with the hypotheses they extend.
            for (int h = 0; h < next; h++)
            {
                p1[h] = beamP1[nextFrom[h]];
            }

            for (int h = 0; h < next; h++)
            {
                beamP2[h] = p1[h];
                beamP1[h] = nextLabel[h];
                beamScore[h] = nextScore[h];
            }

            size = next;
        }

        int b = 0;
        for (int t = n - 1; t >= 0; t--)
        {
            output[t] = label[(t * Width) + b];
            b = from[(t * Width) + b];
        }

    }

    /// <summary>Records the labels a sentence's capitalised words got, for the document-history features.</summary>
    public static void Remember(DocumentFeatures doc, Sentence sent, ReadOnlySpan<int> labels, Dictionary<ulong, int[]> history)
    {
        for (int t = 0; t < sent.Count; t++)
        {
            int i = sent.First + t;
            if (doc.IsCapitalised(i))
            {
                NerTagger.Remember(history, doc.NormHash(i), labels[t]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<float> scores, ReadOnlySpan<float> w)
    {
        int l = 0;
        for (; l + System.Numerics.Vector<float>.Count <= Labels.Count; l += System.Numerics.Vector<float>.Count)
        {
            var v = System.Numerics.Vector.Create<float>(scores[l..]) + System.Numerics.Vector.Create<float>(w[l..]);
            v.CopyTo(scores[l..]);
        }

        for (; l < Labels.Count; l++)
        {
            scores[l] += w[l];
        }
    }

    /// <summary>The labels allowed after each label, within a sentence and at its last word (no span left open).</summary>
    private static readonly int[][] Successors = Table(last: false);
    private static readonly int[][] LastSuccessors = Table(last: true);

    private static int[][] Table(bool last) =>
        [.. Enumerable.Range(0, Labels.Count).Select(prev => Enumerable.Range(0, Labels.Count)
            .Where(l => Labels.Allowed(prev, l) && !(last && Labels.PartOf(l) is 0 or 1)).ToArray())];
}
