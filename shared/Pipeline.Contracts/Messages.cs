using MassTransit;

namespace Pipeline.Contracts;

// Messages between stages. Evolve them additively only: add optional members, never rename or remove,
// so workers of two versions can share a broker during a rolling deploy.
// The raw file travels as MessageData (a claim check): by default in the message data repository that all
// stages share (inline in the message only up to Messaging:InlineBytes, 0 by default), so messages stay small at every hop.
// A large article and its analysis travel the same way (ArticleBody, AnalysisBody), so that no message comes near
// the broker's limit on message size (RabbitMQ 4: 16 MiB) whatever the file.

/// <summary>The stages' names, as messages, queues and configuration sections use them.</summary>
public static class StageNames
{
    public const string Ingest = "Ingest";
    public const string Clean = "Clean";
    public const string Extract = "Extract";
    public const string Store = "Store";
    public const string Relate = "Relate";
}

/// <summary>
/// What each hand-on message says of a document's progress. Published with every one of them (MassTransit
/// publishes a message's interfaces too), so a consumer that only counts, such as the pipeline monitor, reads
/// these few fields instead of the whole article and analysis.
/// </summary>
public interface IDocumentProgress
{
    string DocumentId { get; }

    string FileName { get; }

    /// <summary>The stage whose work the message carries (<see cref="StageNames"/>).</summary>
    string CompletedStage { get; }
}

/// <summary>Ingest read a file and hands its bytes on.</summary>
public sealed record DocumentIngested(
    string DocumentId,
    string FileName,
    MessageData<byte[]> Content,
    DateTimeOffset IngestedAt) : IDocumentProgress
{
    public string CompletedStage => StageNames.Ingest;
}

/// <summary>Clean found the article in the raw file.</summary>
/// <param name="Article">The article; with <paramref name="ArticleBody"/>, only its title, language and format.</param>
/// <param name="ArticleBody">The whole article as JSON when it is too large to travel inline (null otherwise).</param>
public sealed record DocumentCleaned(
    string DocumentId,
    string FileName,
    MessageData<byte[]> Content,
    DateTimeOffset IngestedAt,
    CleanedArticle Article,
    MessageData<byte[]>? ArticleBody = null) : IDocumentProgress
{
    public string CompletedStage => StageNames.Clean;

    /// <summary>The whole article, from the claim check when it travels as one.</summary>
    public Task<CleanedArticle> ReadArticleAsync() => ClaimCheckedJson.ReadAsync(ArticleBody, Article);
}

/// <summary>Extract found the structure of the article; the document is complete and ready to store.</summary>
/// <param name="Article">As in <see cref="DocumentCleaned"/>.</param>
/// <param name="Analysis">The analysis; empty when <paramref name="AnalysisBody"/> carries it.</param>
/// <param name="ArticleBody">As in <see cref="DocumentCleaned"/>: the same claim check, passed on.</param>
/// <param name="AnalysisBody">The analysis as JSON when the article travels as a claim check (null otherwise).</param>
public sealed record DocumentExtracted(
    string DocumentId,
    string FileName,
    MessageData<byte[]> Content,
    DateTimeOffset IngestedAt,
    CleanedArticle Article,
    DocumentAnalysis Analysis,
    MessageData<byte[]>? ArticleBody = null,
    MessageData<byte[]>? AnalysisBody = null) : IDocumentProgress
{
    public string CompletedStage => StageNames.Extract;

    /// <summary>The whole article, from the claim check when it travels as one.</summary>
    public Task<CleanedArticle> ReadArticleAsync() => ClaimCheckedJson.ReadAsync(ArticleBody, Article);

    /// <summary>The whole analysis, from the claim check when it travels as one.</summary>
    public Task<DocumentAnalysis> ReadAnalysisAsync() => ClaimCheckedJson.ReadAsync(AnalysisBody, Analysis);
}

/// <summary>Store persisted the document.</summary>
/// <param name="Inserted">False when the document was already stored (a redelivery or a re-drop).</param>
public sealed record DocumentStored(string DocumentId, string Title, bool Inserted, DateTimeOffset StoredAt);

/// <summary>A stage gave up on a document that can never succeed as it is; the reason says why.</summary>
/// <param name="DocumentId">Empty when the file could not even be read.</param>
public sealed record DocumentFailed(
    string DocumentId,
    string FileName,
    string Stage,
    string Reason,
    DateTimeOffset FailedAt);

/// <summary>A document as the store keeps it: the raw input, the cleaned article and its analysis.</summary>
public sealed record ProcessedDocument(
    string DocumentId,
    string FileName,
    byte[] Content,
    DateTimeOffset IngestedAt,
    CleanedArticle Article,
    DocumentAnalysis Analysis);
