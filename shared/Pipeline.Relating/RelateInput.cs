using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>What the relater reads of a stored document.</summary>
/// <param name="IngestedAt">When ingest read the file: of two copies, the earlier one is the original.</param>
/// <param name="PublishedOn">ISO date (yyyy-MM-dd) from the dateline or metadata, when known.</param>
public sealed record RelateInput(
    string DocumentId,
    string FileName,
    DateTimeOffset IngestedAt,
    string Title,
    string Text,
    string? PublishedOn,
    IReadOnlyList<EntityMention> Entities,
    IReadOnlyList<EntityMention> TitleEntities)
{
    /// <summary>What the relater reads of a document as the store keeps it.</summary>
    public static RelateInput From(ProcessedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new RelateInput(
            document.DocumentId,
            document.FileName,
            document.IngestedAt,
            document.Article.Title,
            document.Article.Text,
            document.Analysis.PublishedOn,
            document.Analysis.Entities,
            document.Analysis.TitleEntities ?? []);
    }
}
