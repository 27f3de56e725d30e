using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>
/// Finds the earliest stored copy of a document: candidates share MinHash bands with it; a candidate is a copy when
/// most of the shorter text's word 5-grams are in the other (a reprint with a new headline, an agency tag or a cut
/// ending keeps most of them), or a good part of them under the same headline. A copy of a copy points at the copy's
/// original.
/// </summary>
internal static class DuplicateFinder
{
    /// <summary>The share of the shorter text's 5-grams the other must hold.</summary>
    public const double MinContainment = 0.8;

    /// <summary>
    /// The share that suffices under the same headline: an edited reprint of a short article (a word changed in each
    /// sentence, the ending cut) keeps its headline but only 0.65-0.8 of its 5-grams, while other reports of one
    /// event that reach 0.8 have headlines of their own.
    /// </summary>
    public const double SameHeadlineContainment = 0.6;

    /// <summary>The words with letters a title needs to be a headline: a date line taken for a title ("APR 28") is not one.</summary>
    public const int HeadlineWords = 3;

    /// <summary>
    /// The fewest 5-grams the shorter text must have for containment to count: a credit line alone ("This story has
    /// been corrected") is in many texts. Shorter texts are copies only when identical.
    /// </summary>
    public const int MinShingles = 12;

    /// <summary>The most candidates whose 5-grams are read, those sharing the most bands first.</summary>
    public const int MaxCandidates = 12;

    public static List<string> Candidates(ShingleSketch sketch, IReadOnlyDictionary<string, IReadOnlyList<string>> found) =>
        PostingKeys.MostShared(sketch.BandKeys(), found, MaxCandidates);

    /// <summary>A title's words as the finder compares headlines, or null when the title is no headline.</summary>
    public static string? Headline(string title)
    {
        var words = Words.Of(title);
        return words.Count(w => w.Any(char.IsLetter)) >= HeadlineWords ? string.Join(' ', words) : null;
    }

    /// <summary>The copy that holds most of this document, or null when none holds enough.</summary>
    /// <param name="headline">The document's <see cref="Headline(string)"/>.</param>
    public static (SketchRecord Copy, DuplicateEvidence Evidence)? Find(ShingleSketch sketch, string? headline, IEnumerable<SketchRecord> candidates)
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

            bool sameHeadline = SameHeadline(headline, candidate.Headline);
            if (containment >= (sameHeadline ? SameHeadlineContainment : MinContainment) && containment > (best?.Evidence.Containment ?? 0))
            {
                string rule = similarity >= 1 ? "same text" : containment >= MinContainment ? "5-gram containment" : "same headline, 5-gram containment";
                best = (candidate, new DuplicateEvidence(rule, Math.Round(similarity, 3), Math.Round(containment, 3)));
            }
        }

        return best;
    }

    /// <summary>One headline is the other, or ends with it: a reprint may put an agency's tag before it ("UPDATE 1-").</summary>
    private static bool SameHeadline(string? headline, string? other) =>
        headline is not null && other is not null && (headline == other || headline.EndsWith(' ' + other, StringComparison.Ordinal)
            || other.EndsWith(' ' + headline, StringComparison.Ordinal));
}
