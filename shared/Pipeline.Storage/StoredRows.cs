using System.Data.Common;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>
/// Reads the rows that both stores' SQL returns in the same shape, by column name (looked up once per result set),
/// so that a new column is added to the SQL and read in one place.
/// </summary>
internal static class StoredRows
{
    public static string? NullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>
    /// A document from three result sets: its entities, its keywords, then its row (null when there is none).
    /// Columns are named as in the tables (metadata and roles as JSON text); <paramref name="readTimestamp"/> reads a
    /// timestamp column as the store keeps it.
    /// </summary>
    public static async Task<StoredDocument?> ReadDocumentAsync(
        DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> readTimestamp, CancellationToken ct)
    {
        var entities = await ReadEntitiesAsync(reader, ct);
        await reader.NextResultAsync(ct);
        var keywords = await ReadKeywordsAsync(reader, ct);
        await reader.NextResultAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var datelineStart = reader.GetOrdinal("dateline_start");
        Dateline? dateline = reader.IsDBNull(datelineStart)
            ? null
            : new Dateline(
                reader.NullableString(reader.GetOrdinal("dateline_date")),
                reader.NullableString(reader.GetOrdinal("dateline_place")),
                reader.NullableString(reader.GetOrdinal("dateline_agency")),
                reader.GetInt32(datelineStart),
                reader.GetInt32(reader.GetOrdinal("dateline_end")));
        return new StoredDocument(
            reader.GetString(reader.GetOrdinal("document_id")),
            reader.GetString(reader.GetOrdinal("file_name")),
            reader.GetString(reader.GetOrdinal("title")),
            reader.GetString(reader.GetOrdinal("body")),
            reader.NullableString(reader.GetOrdinal("language")),
            reader.GetString(reader.GetOrdinal("format")),
            StorageJson.ReadMetadata(reader.GetString(reader.GetOrdinal("metadata"))),
            reader.NullableString(reader.GetOrdinal("published_on")),
            dateline,
            entities,
            keywords,
            reader.GetString(reader.GetOrdinal("summary")),
            reader.GetFieldValue<byte[]>(reader.GetOrdinal("content")),
            readTimestamp(reader, reader.GetOrdinal("ingested_at")),
            readTimestamp(reader, reader.GetOrdinal("stored_at")),
            readTimestamp(reader, reader.GetOrdinal("updated_at")))
        {
            TitleEntities = StorageJson.ReadMentions(reader.NullableString(reader.GetOrdinal("title_entities"))),
        };
    }

    private static async Task<List<EntityMention>> ReadEntitiesAsync(DbDataReader reader, CancellationToken ct)
    {
        var (type, text, start, end, canonical, roles) = (reader.GetOrdinal("type"), reader.GetOrdinal("text"),
            reader.GetOrdinal("start_offset"), reader.GetOrdinal("end_offset"), reader.GetOrdinal("canonical"), reader.GetOrdinal("roles"));
        var entities = new List<EntityMention>();
        while (await reader.ReadAsync(ct))
        {
            entities.Add(new EntityMention(
                reader.GetString(type),
                reader.GetString(text),
                reader.GetInt32(start),
                reader.GetInt32(end),
                reader.NullableString(canonical),
                StorageJson.ReadRoles(reader.NullableString(roles))));
        }

        return entities;
    }

    private static async Task<List<string>> ReadKeywordsAsync(DbDataReader reader, CancellationToken ct)
    {
        var keyword = reader.GetOrdinal("keyword");
        var keywords = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            keywords.Add(reader.GetString(keyword));
        }

        return keywords;
    }

    /// <summary>Rows of the entity list: entity_id (null for a per-name entity), type, name, aliases (JSON or null), documents, mentions.</summary>
    public static async Task<IReadOnlyList<EntitySummary>> ReadEntitySummariesAsync(DbDataReader reader, CancellationToken ct)
    {
        var (entityId, type, name, aliases, documents, mentions) = (reader.GetOrdinal("entity_id"), reader.GetOrdinal("type"),
            reader.GetOrdinal("name"), reader.GetOrdinal("aliases"), reader.GetOrdinal("documents"), reader.GetOrdinal("mentions"));
        var entities = new List<EntitySummary>();
        while (await reader.ReadAsync(ct))
        {
            entities.Add(new EntitySummary(
                reader.NullableString(entityId),
                reader.GetString(type),
                reader.GetString(name),
                reader.NullableString(aliases) is { } json ? StorageJson.ReadNames(json) : [],
                reader.GetInt64(documents),
                reader.GetInt64(mentions)));
        }

        return entities;
    }

    /// <summary>
    /// Reads the four result sets of a per-name entity query (counts, aliases, documents, co-occurring entities).
    /// Null when no document mentions the entity.
    /// </summary>
    public static async Task<EntityDetail?> ReadEntityDetailAsync(DbDataReader reader, string type, string name, CancellationToken ct)
    {
        await reader.ReadAsync(ct);
        var documentCount = reader.GetInt64(reader.GetOrdinal("documents"));
        var mentions = reader.GetInt64(reader.GetOrdinal("mentions"));
        if (documentCount == 0)
        {
            return null;
        }

        await reader.NextResultAsync(ct);
        var (aliases, documents, related) = await ReadEntityRowsAsync(reader, ct);
        return new EntityDetail(type, name, documentCount, mentions, aliases, documents, related);
    }

    /// <summary>
    /// An entity's aliases, documents and co-occurring entities: three result sets, from the current one on. The
    /// documents' <c>story_id</c> and the co-occurring entities' <c>entity_id</c> columns are read when present.
    /// </summary>
    public static async Task<(List<EntityAlias> Aliases, List<EntityDocument> Documents, List<CoOccurrence> CoOccurring)> ReadEntityRowsAsync(
        DbDataReader reader, CancellationToken ct)
    {
        var (aliasText, aliasMentions) = (reader.GetOrdinal("text"), reader.GetOrdinal("mentions"));
        var aliases = new List<EntityAlias>();
        while (await reader.ReadAsync(ct))
        {
            aliases.Add(new EntityAlias(reader.GetString(aliasText), reader.GetInt64(aliasMentions)));
        }

        await reader.NextResultAsync(ct);
        var (documentId, title, publishedOn, documentMentions, storyId) = (reader.GetOrdinal("document_id"), reader.GetOrdinal("title"),
            reader.GetOrdinal("published_on"), reader.GetOrdinal("mentions"), OptionalOrdinal(reader, "story_id"));
        var documents = new List<EntityDocument>();
        while (await reader.ReadAsync(ct))
        {
            documents.Add(new EntityDocument(
                reader.GetString(documentId),
                reader.GetString(title),
                reader.NullableString(publishedOn),
                reader.GetInt64(documentMentions),
                storyId < 0 ? null : reader.NullableString(storyId)));
        }

        await reader.NextResultAsync(ct);
        var (relatedId, relatedType, relatedName, shared) =
            (OptionalOrdinal(reader, "entity_id"), reader.GetOrdinal("type"), reader.GetOrdinal("name"), reader.GetOrdinal("shared"));
        var related = new List<CoOccurrence>();
        while (await reader.ReadAsync(ct))
        {
            related.Add(new CoOccurrence(
                relatedId < 0 ? null : reader.GetString(relatedId), reader.GetString(relatedType), reader.GetString(relatedName), reader.GetInt64(shared)));
        }

        return (aliases, documents, related);
    }

    private static int OptionalOrdinal(DbDataReader reader, string column)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (string.Equals(reader.GetName(i), column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>A row of a search page, as both stores' search SQL names its columns.</summary>
/// <param name="BodyStart">The start of the body: the snippet when no match gives one.</param>
internal sealed record SearchRow(string DocumentId, string Title, double Rank, string? PublishedOn, string? Summary, string? BodyStart)
{
    /// <summary>
    /// The hit, with the database's highlighted snippets when the search was by text, else the summary or the
    /// start of the body.
    /// </summary>
    public SearchHit ToHit(bool byText, string? bodySnippet, string? titleSnippet) =>
        new(DocumentId, Title, byText ? SnippetMarkup.Choose(bodySnippet, titleSnippet, BodyStart) : QuerySnippets.Lead(Summary, BodyStart), Rank, PublishedOn);
}

/// <summary>Reads the <see cref="SearchRow"/> columns of a result set, looked up by name once.</summary>
internal sealed class SearchRowReader(DbDataReader reader)
{
    private readonly int _documentId = reader.GetOrdinal("document_id");
    private readonly int _title = reader.GetOrdinal("title");
    private readonly int _rank = reader.GetOrdinal("rank");
    private readonly int _publishedOn = reader.GetOrdinal("published_on");
    private readonly int _summary = reader.GetOrdinal("summary");
    private readonly int _bodyStart = reader.GetOrdinal("body_start");

    /// <summary>The current row.</summary>
    public SearchRow Read() => new(
        reader.GetString(_documentId),
        reader.GetString(_title),
        reader.GetDouble(_rank),
        reader.NullableString(_publishedOn),
        reader.NullableString(_summary),
        reader.NullableString(_bodyStart));
}
