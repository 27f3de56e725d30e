using System.Text.RegularExpressions;

namespace Pipeline.Storage;

/// <summary>
/// What a reprint changed from its original, sentence by sentence: a short summary a reader can check against the
/// two texts, not a full diff. Sentences end at sentence punctuation and are compared by their words (case,
/// punctuation and line breaks aside).
/// </summary>
/// <param name="NewHeadline">The reprint's title, when it is not the original's.</param>
/// <param name="OriginalWords">Words in the original's text.</param>
/// <param name="Words">Words in the reprint's text.</param>
/// <param name="CutAfterWords">
/// When the reprint stops before the original's end: how many of the original's words it runs to (the last sentence
/// it keeps, or the start of one it breaks off). Null when it keeps the ending.
/// </param>
/// <param name="AddedSentences">How many of the reprint's sentences the original lacks (a new lead, an agency tag).</param>
/// <param name="RemovedSentences">How many of the original's sentences the reprint lacks, the cut ending included.</param>
/// <param name="Added">The first added sentences, at most <see cref="MaxListed"/>.</param>
/// <param name="Removed">The first removed sentences before a cut ending, at most <see cref="MaxListed"/>.</param>
public sealed partial record ReprintChanges(
    string? NewHeadline,
    int OriginalWords,
    int Words,
    int? CutAfterWords,
    int AddedSentences,
    int RemovedSentences,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed)
{
    public const int MaxListed = 3;

    public static ReprintChanges Compare(string originalTitle, string originalText, string title, string text)
    {
        var original = Sentences(originalText);
        var reprint = Sentences(text);
        var originalKeys = original.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var reprintKeys = reprint.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var added = reprint.Where(s => !originalKeys.Contains(s.Key)).ToList();
        var removed = original.Select((s, i) => (Sentence: s, Index: i)).Where(s => !reprintKeys.Contains(s.Sentence.Key)).ToList();

        // A cut ending: the original's last sentences are all missing, after one the reprint kept, and the reprint
        // ends there too (or breaks off inside the next sentence); anything else after it is a rewritten ending.
        var tail = original.Count;
        while (tail > 0 && !reprintKeys.Contains(original[tail - 1].Key))
        {
            tail--;
        }

        int? cutAfter = null;
        if (tail < original.Count && tail > 0)
        {
            var lastKept = reprint.FindLastIndex(s => s.Key == original[tail - 1].Key);
            var after = reprint.Skip(lastKept + 1).ToList();
            if (after.Count == 0)
            {
                cutAfter = original.Take(tail).Sum(s => s.Words.Length);
            }
            else if (after.Count == 1 && StartsWith(original[tail].Words, after[0].Words))
            {
                // The fragment is where the cut falls, not an added sentence.
                added.Remove(after[0]);
                cutAfter = original.Take(tail).Sum(s => s.Words.Length) + after[0].Words.Length;
            }
        }

        var headline = Key(originalTitle) == Key(title) ? null : title;
        return new ReprintChanges(
            headline,
            original.Sum(s => s.Words.Length),
            reprint.Sum(s => s.Words.Length),
            cutAfter,
            added.Count,
            removed.Count,
            [.. added.Take(MaxListed).Select(s => s.Text)],
            [.. removed.Where(s => cutAfter is null || s.Index < tail).Take(MaxListed).Select(s => s.Sentence.Text)]);
    }

    /// <summary>Words in a text, as the comparison counts them.</summary>
    public static int CountWords(string text) => Word().Count(text);

    private static bool StartsWith(string[] words, string[] start) =>
        start.Length > 0 && start.Length < words.Length && words.AsSpan(0, start.Length).SequenceEqual(start);

    private static List<Sentence> Sentences(string text) =>
        [.. SentenceEnd().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0).Select(s => new Sentence(s, WordsOf(s))).Where(s => s.Words.Length > 0)];

    private static string[] WordsOf(string text) => [.. Word().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    private static string Key(string text) => string.Join(' ', WordsOf(text));

    // Only sentence punctuation ends a sentence: line and paragraph breaks fall where each outlet wrapped its text.
    [GeneratedRegex(@"(?<=[.!?…][""'”’)\]]?)\s+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();

    private sealed record Sentence(string Text, string[] Words)
    {
        public string Key { get; } = string.Join(' ', Words);
    }
}
