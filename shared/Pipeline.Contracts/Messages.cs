namespace Pipeline.Contracts;

// Messages between stages. Evolve them additively only: add optional members, never rename or remove,
// so workers of two versions can share a broker during a rolling deploy.

/// <summary>Ingest read a file and hands its bytes on.</summary>
public sealed record DocumentIngested(
    string DocumentId,
    string FileName,
    byte[] Content,
    DateTimeOffset IngestedAt);

/// <summary>Clean found the article in the raw file.</summary>
public sealed record DocumentCleaned(
    string DocumentId,
    string FileName,
    byte[] Content,
    DateTimeOffset IngestedAt,
    CleanedArticle Article);

/// <summary>Extract found the structure of the article; the document is complete and ready to store.</summary>
public sealed record DocumentExtracted(ProcessedDocument Document);

/// <summary>Store persisted the document.</summary>
/// <param name="Inserted">False when the document was already stored (a redelivery or a re-drop).</param>
public sealed record DocumentStored(string DocumentId, string Title, bool Inserted, DateTimeOffset StoredAt);

/// <summary>A stage gave up on a document that can never succeed as it is; the reason says why.</summary>
public sealed record DocumentFailed(
    string DocumentId,
    string FileName,
    string Stage,
    string Reason,
    DateTimeOffset FailedAt);

/// <summary>A document as it is stored: the raw input, the cleaned article and its analysis.</summary>
public sealed record ProcessedDocument(
    string DocumentId,
    string FileName,
    byte[] Content,
    DateTimeOffset IngestedAt,
    CleanedArticle Article,
    DocumentAnalysis Analysis);
