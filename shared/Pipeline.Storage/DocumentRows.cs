using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>What both stores do to a document before writing it.</summary>
internal static class DocumentRows
{
    /// <summary>
    /// Checks the batch and keeps the last document of each id, ordered by id so that concurrent writers
    /// lock rows in the same order.
    /// </summary>
    public static List<ProcessedDocument> Prepare(IReadOnlyList<ProcessedDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var byId = new Dictionary<string, ProcessedDocument>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            ArgumentNullException.ThrowIfNull(document, nameof(documents));
            if (string.IsNullOrWhiteSpace(document.DocumentId))
            {
                throw new ArgumentException("Every document needs a document id.", nameof(documents));
            }

            ArgumentNullException.ThrowIfNull(document.Article, nameof(documents));
            ArgumentNullException.ThrowIfNull(document.Analysis, nameof(documents));
            byId[document.DocumentId] = document;
        }

        return [.. byId.Values.OrderBy(d => d.DocumentId, StringComparer.Ordinal)];
    }

    /// <summary>The entity's name for lookups: its canonical name when known, else the mention text.</summary>
    public static string EntityName(EntityMention mention) =>
        string.IsNullOrWhiteSpace(mention.Canonical) ? mention.Text : mention.Canonical;

    public static IReadOnlyList<EntityMention> Entities(ProcessedDocument document) =>
        document.Analysis.Entities ?? [];

    public static IReadOnlyList<string> Keywords(ProcessedDocument document) =>
        document.Analysis.Keywords ?? [];

    public static void CheckLimit(int limit) => ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
}
