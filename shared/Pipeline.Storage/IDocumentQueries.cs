namespace Pipeline.Storage;

/// <summary>
/// The read side's queries, implemented by both stores with parameterised SQL: search with filters and
/// paging, entities, co-occurrence, and what the relate stage decided (stories, reprints, archive-wide entities).
/// <c>pipeline search</c> and the query API both call these.
/// </summary>
public interface IDocumentQueries
{
    /// <summary>
    /// One page of documents matching <see cref="DocumentQuery.Text"/> (the same user-text syntax as
    /// <see cref="IDocumentStore.SearchAsync"/>) and the filters. Without text, the filters alone select the
    /// documents (all of them when there are no filters) and snippets are the start of the summary. Text that
    /// has no word to search for (only <c>-exclusions</c> or punctuation) finds nothing. With
    /// <see cref="DocumentQuery.FoldReprints"/>, related hits carry their story and a copy of another hit on the page
    /// is folded under it.
    /// </summary>
    Task<DocumentPage> SearchDocumentsAsync(DocumentQuery query, CancellationToken ct);

    /// <summary>
    /// Entities by type and a name fragment (of the name or, for archive entities, an alias), the most widespread
    /// first. Mentions the relate stage linked count for their archive entity, one row however it is written;
    /// the others (documents not related yet) count for a per-name entity, as before the relate stage.
    /// </summary>
    Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(EntityListQuery query, CancellationToken ct);

    /// <summary>
    /// A per-name entity (<paramref name="type"/> and exact stored name, over every mention with that name), or null
    /// when no document mentions it.
    /// </summary>
    Task<EntityDetail?> GetEntityAsync(string type, string name, CancellationToken ct);

    /// <summary>An archive entity by its id, with its roles and stories, or null when there is none.</summary>
    Task<EntityDetail?> GetArchiveEntityAsync(string entityId, CancellationToken ct);

    /// <summary>Stories, the one with the latest report first.</summary>
    Task<StoryPage> ListStoriesAsync(StoryListQuery query, CancellationToken ct);

    /// <summary>A story's reports, reprints and entities, or null when no document is in it.</summary>
    Task<StoryDetail?> GetStoryAsync(string storyId, CancellationToken ct);

    /// <summary>What the relate stage decided for a document, or null when it has not related it.</summary>
    Task<DocumentRelation?> GetRelationAsync(string documentId, CancellationToken ct);
}

/// <summary>How search results are ordered.</summary>
public enum DocumentSort
{
    /// <summary>Best match first (publication date, newest first, when there is no text).</summary>
    Relevance,

    /// <summary>Newest publication date first; documents without a date last.</summary>
    Date,
}

/// <summary>A search over the stored documents.</summary>
public sealed record DocumentQuery
{
    /// <summary>User search text; null or blank: filters only.</summary>
    public string? Text { get; init; }

    /// <summary>A person mentioned in the document (case-insensitive fragment of the name or a mention).</summary>
    public string? Person { get; init; }

    /// <summary>An organisation mentioned in the document (fragment, as <see cref="Person"/>).</summary>
    public string? Organization { get; init; }

    /// <summary>A location mentioned in the document, or the dateline's place (fragment).</summary>
    public string? Place { get; init; }

    /// <summary>Published on or after this day.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Published on or before this day.</summary>
    public DateOnly? To { get; init; }

    public DocumentSort Sort { get; init; } = DocumentSort.Relevance;

    /// <summary>Hits to skip (0 or more).</summary>
    public int Offset { get; init; }

    /// <summary>Hits to return, 1 or more (callers bound it: the API to 50 a page).</summary>
    public int Limit { get; init; } = 20;

    /// <summary>
    /// Fold reprints for a reader: a hit that copies another hit on the page moves into that hit's
    /// <see cref="SearchHit.Reprints"/>, so a page may hold fewer hits than <see cref="Limit"/>. Off for callers
    /// that page through every document.
    /// </summary>
    public bool FoldReprints { get; init; }

    internal bool HasText => !string.IsNullOrWhiteSpace(Text);

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(Limit, 1);
    }

    internal IEnumerable<(string Type, string Fragment)> EntityFilters()
    {
        if (!string.IsNullOrWhiteSpace(Person))
        {
            yield return (Contracts.EntityTypes.Person, Person.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Organization))
        {
            yield return (Contracts.EntityTypes.Organization, Organization.Trim());
        }
    }

    internal string? PlaceFilter => string.IsNullOrWhiteSpace(Place) ? null : Place.Trim();

    internal static string IsoDate(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One page of search results.</summary>
/// <param name="Total">How many documents match in all.</param>
public sealed record DocumentPage(long Total, IReadOnlyList<SearchHit> Hits);

/// <summary>A listing of entities.</summary>
public sealed record EntityListQuery
{
    public const int MaxLimit = 200;

    /// <summary>person, organization, location or misc; null: every type.</summary>
    public string? Type { get; init; }

    /// <summary>Case-insensitive fragment of the name; null: every name.</summary>
    public string? Text { get; init; }

    public int Limit { get; init; } = 50;

    internal void Check()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Limit, MaxLimit);
    }
}

/// <summary>
/// An entity: an archive entity (<paramref name="EntityId"/> set, its fullest name and the other names it goes by),
/// or a per-name one (the canonical name when the extractor knew it, else the mention).
/// </summary>
public sealed record EntitySummary(string? EntityId, string Type, string Name, IReadOnlyList<string> Aliases, long Documents, long Mentions)
{
    /// <summary>The entity's id in the API: the archive entity's id, else <c>type:name</c>.</summary>
    public string Id => EntityId ?? EntityIds.Format(Type, Name);
}

/// <summary>An entity with where it appears and what it appears with.</summary>
/// <param name="Aliases">Every way the documents' texts mention it, most frequent first, with counts.</param>
/// <param name="Documents">The documents that mention it, newest first (at most 100).</param>
/// <param name="CoOccurring">Entities found in the same documents, most shared documents first (at most 15).</param>
public sealed record EntityDetail(
    string Type,
    string Name,
    long DocumentCount,
    long Mentions,
    IReadOnlyList<EntityAlias> Aliases,
    IReadOnlyList<EntityDocument> Documents,
    IReadOnlyList<CoOccurrence> CoOccurring)
{
    /// <summary>The archive entity's id; null for a per-name entity.</summary>
    public string? EntityId { get; init; }

    public string Id => EntityId ?? EntityIds.Format(Type, Name);

    /// <summary>The other names the archive knows it by (empty for a per-name entity).</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    /// <summary>The roles its mentions give it, with each document's date, earliest first.</summary>
    public IReadOnlyList<EntityRole> Roles { get; init; } = [];

    /// <summary>The stories that name it, the latest first (at most 50).</summary>
    public IReadOnlyList<EntityStory> Stories { get; init; } = [];
}

public sealed record EntityAlias(string Text, long Mentions);

/// <param name="StoryId">The document's story, for an archive entity's documents that are related.</param>
public sealed record EntityDocument(string DocumentId, string Title, string? PublishedOn, long Mentions, string? StoryId);

/// <param name="EntityId">The archive entity's id, when both are archive entities.</param>
/// <param name="SharedDocuments">Documents that mention both.</param>
public sealed record CoOccurrence(string? EntityId, string Type, string Name, long SharedDocuments)
{
    public string Id => EntityId ?? EntityIds.Format(Type, Name);
}

/// <summary>Entity ids are <c>type:name</c>: readable, stable, and needing no table of their own.</summary>
public static class EntityIds
{
    public static string Format(string type, string name) => type + ":" + name;

    public static bool TryParse(string? id, out string type, out string name)
    {
        type = name = string.Empty;
        var colon = id?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (id is null || colon <= 0 || colon == id.Length - 1)
        {
            return false;
        }

        type = id[..colon];
        name = id[(colon + 1)..];
        return true;
    }
}

/// <summary>LIKE patterns from user text: <c>%</c>, <c>_</c> and the escape character are literal.</summary>
internal static class LikePattern
{
    public const char Escape = '\\';

    public static string Contains(string fragment)
    {
        var pattern = new System.Text.StringBuilder(fragment.Length + 2).Append('%');
        foreach (var c in fragment)
        {
            if (c is '%' or '_' or Escape)
            {
                pattern.Append(Escape);
            }

            if (!char.IsControl(c))
            {
                pattern.Append(c);
            }
        }

        return pattern.Append('%').ToString();
    }
}
