using Pipeline.Contracts;
using Pipeline.Relating;

namespace Pipeline.Storage;

/// <summary>
/// Persists processed documents with their entities and searches them. Every call is guarded by a Polly
/// pipeline (retry with back-off on transient errors, a timeout per attempt, a circuit breaker).
/// Implementations are thread-safe: one instance serves a whole process.
/// </summary>
public interface IDocumentStore : IDocumentQueries, IAsyncDisposable
{
    /// <summary>
    /// Creates or migrates the schema. Idempotent, and safe when several processes start at once. The other
    /// methods call it on first use, so calling it at start-up only makes a broken database show early.
    /// </summary>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>
    /// Inserts the document, or replaces the stored one with the same id (its entities and keywords too, in
    /// the same transaction). Returns true when no document with this id was stored before.
    /// </summary>
    Task<bool> UpsertAsync(ProcessedDocument document, CancellationToken ct);

    /// <summary>
    /// Upserts all documents in one transaction. When an id appears more than once, the last one wins.
    /// Returns the ids that were not stored before.
    /// </summary>
    Task<IReadOnlySet<string>> UpsertManyAsync(IReadOnlyList<ProcessedDocument> documents, CancellationToken ct);

    /// <summary>
    /// Full-text search over title and text, best match first. The query is user text: words (all must match),
    /// "quoted phrases", <c>or</c> between alternatives and <c>-word</c> to exclude; anything else is taken as
    /// plain words and never as query syntax. An empty query or one without words finds nothing.
    /// </summary>
    /// <param name="limit">At most this many hits (1 or more).</param>
    Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int limit, CancellationToken ct);

    /// <summary>The stored document, or null when there is none with this id.</summary>
    Task<StoredDocument?> GetAsync(string documentId, CancellationToken ct);

    /// <summary>How many documents are stored.</summary>
    Task<long> CountAsync(CancellationToken ct);

    /// <summary>The stored document's title, or null when there is none with this id: whether it is stored, cheaply.</summary>
    Task<string?> FindTitleAsync(string documentId, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="decide"/> on the archive's index and stores what it decided for a stored document (its
    /// story, its original, its entities' archive-wide ids), in one transaction that no other caller holds at the same
    /// time, in this process or another: two reports of one new event related at once by two replicas see each
    /// other, so they cannot open two stories. Retried whole on a transient failure.
    /// </summary>
    Task<DocumentRelated> RelateAsync(Func<IArchiveIndex, CancellationToken, Task<DocumentRelated>> decide, CancellationToken ct);
}

/// <summary>One search result.</summary>
/// <param name="Snippet">
/// An HTML fragment: a passage of the text (or of the title, when only the title matches) with the
/// matched words wrapped in <c>&lt;mark&gt;</c>…<c>&lt;/mark&gt;</c>. Everything else in it is
/// HTML-escaped (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>, <c>"</c>, <c>'</c>), so it can be inserted into a page as it is;
/// strip the two tags for plain text. Omitted parts are shown as <c>…</c>.
/// </param>
/// <param name="Rank">Relevance: higher is better. Comparable only within one result list and one store kind.</param>
/// <param name="PublishedOn">ISO date (yyyy-MM-dd) the story was published, when known.</param>
/// <param name="StoryId">The story the relate stage put it in, once it has.</param>
/// <param name="DuplicateOf">The document it copies, when it is a reprint.</param>
/// <param name="Reprints">Hits of the same page that copy it, folded under it (empty when none or not yet related).</param>
public sealed record SearchHit(
    string DocumentId,
    string Title,
    string Snippet,
    double Rank,
    string? PublishedOn,
    string? StoryId = null,
    string? DuplicateOf = null,
    IReadOnlyList<ReprintHit>? Reprints = null);

/// <summary>A document as it is stored: the raw input, the cleaned article, its analysis and when it was stored.</summary>
/// <param name="Text">The cleaned article body.</param>
/// <param name="Entities">Every entity mention, in the order the extract stage gave them.</param>
/// <param name="IngestedAt">When ingest read the file (UTC; PostgreSQL keeps microseconds).</param>
/// <param name="StoredAt">When the document was first stored (UTC).</param>
/// <param name="UpdatedAt">When the document was last upserted (UTC).</param>
public sealed record StoredDocument(
    string DocumentId,
    string FileName,
    string Title,
    string Text,
    string? Language,
    string Format,
    ArticleMetadata Metadata,
    string? PublishedOn,
    Dateline? Dateline,
    IReadOnlyList<EntityMention> Entities,
    IReadOnlyList<string> Keywords,
    string Summary,
    byte[] Content,
    DateTimeOffset IngestedAt,
    DateTimeOffset StoredAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Entity mentions in the title, offsets into the title (null for documents stored before they were recorded).</summary>
    public IReadOnlyList<EntityMention>? TitleEntities { get; init; }

    /// <summary>The document in the shape the pipeline passes between stages.</summary>
    public ProcessedDocument ToProcessedDocument() =>
        new(
            DocumentId,
            FileName,
            Content,
            IngestedAt,
            new CleanedArticle(Title, Text, Language, Format, Metadata),
            new DocumentAnalysis(Dateline, PublishedOn, Entities, Keywords, Summary, TitleEntities));
}
