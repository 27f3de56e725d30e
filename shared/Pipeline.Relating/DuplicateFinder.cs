using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>
/// Finds the earliest stored copy of a document: candidates share MinHash bands with it; a candidate is a copy when
/// most of the shorter text's word 5-grams are in the other (a reprint with a new headline, an agency tag or a cut
/// ending keeps most of them). A copy of a copy points at the copy's original.
/// </summary>
internal static class DuplicateFinder
{
    /// <summary>The share of the shorter text's 5-grams the other must hold.</summary>
    public const double MinContainment = 0.8;

    /// <summary>
    /// The fewest 5-grams the shorter text must have for containment to count: a credit line alone ("This story has
    /// been corrected") is in many texts. Shorter texts are copies only when identical.
    /// </summary>
    public const int MinShingles = 12;

    /// <summary>The most candidates whose 5-grams are read, those sharing the most bands first.</summary>
    public const int MaxCandidates = 12;

    public static List<string> Candidates(ShingleSketch sketch, IReadOnlyDictionary<string, IReadOnlyList<string>> found) =>
        PostingKeys.MostShared(sketch.BandKeys(), found, MaxCandidates);

    /// <summary>The copy that holds most of this document, or null when none holds enough.</summary>
    public static (SketchRecord Copy, DuplicateEvidence Evidence)? Find(ShingleSketch sketch, IEnumerable<SketchRecord> candidates)
    {
        (SketchRecord Copy, DuplicateEvidence Evidence)? best = null;
        foreach (var candidate in candidates)
        {
            var shingles = candidate.ShingleHashes();
            var (containment, similarity) = sketch.Compare(shingles);
            if (Math.Min(shingles.Length, sketch.Shingles.Length) < MinShingles && similarity < 1)
            {
                continue;
            }

            if (containment >= MinContainment && containment > (best?.Evidence.Containment ?? 0))
            {
                string rule = similarity >= 1 ? "same text" : "5-gram containment";
                best = (candidate, new DuplicateEvidence(rule, Math.Round(similarity, 3), Math.Round(containment, 3)));
            }
        }

        return best;
    }
}
