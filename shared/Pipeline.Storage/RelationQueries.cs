using System.Data.Common;
using System.Globalization;
using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>Where the two stores' SQL differs in the relation queries.</summary>
/// <param name="ReportDate">A document's date (yyyy-MM-dd) from its row alias: publication date, else the ingest day.</param>
/// <param name="InList">The test that a value is in the list given as parameter <c>$n</c>.</param>
internal sealed record SqlDialect(Func<string, string> ReportDate, Func<int, string> InList);

/// <summary>
/// Statements run in one snapshot, with positional parameters <c>$1</c>, <c>$2</c>… shared by all of them: strings,
/// integers and string arrays (for <see cref="SqlDialect.InList"/>).
/// </summary>
internal sealed record RelationSql(IReadOnlyList<string> Statements, IReadOnlyList<object> Arguments);

/// <summary>
/// A store that runs <see cref="RelationSql"/>: the one part of the relation queries each store does its own way. It
/// answers the queries below with <see cref="RelationQueries"/> and its own dialect.
/// </summary>
internal interface IRelationSource : IDocumentQueries
{
    SqlDialect Dialect { get; }

    Task<T> ReadAsync<T>(RelationSql sql, Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken ct);

    Task<IReadOnlyList<EntitySummary>> IDocumentQueries.ListEntitiesAsync(EntityListQuery query, CancellationToken ct) =>
        RelationQueries.ListEntitiesAsync(this, query, ct);

    Task<EntityDetail?> IDocumentQueries.GetArchiveEntityAsync(string entityId, CancellationToken ct) =>
        RelationQueries.GetEntityAsync(this, entityId, ct);

    Task<StoryPage> IDocumentQueries.ListStoriesAsync(StoryListQuery query, CancellationToken ct) =>
        RelationQueries.ListStoriesAsync(this, query, ct);

    Task<StoryDetail?> IDocumentQueries.GetStoryAsync(string storyId, CancellationToken ct) => RelationQueries.GetStoryAsync(this, storyId, ct);

    Task<DocumentRelation?> IDocumentQueries.GetRelationAsync(string documentId, CancellationToken ct) =>
        RelationQueries.GetRelationAsync(this, documentId, ct);
}

/// <summary>
/// The read side's queries over what the relate stage stored (document_relations, archive_entities,
/// entity_links), one SQL text for both stores. The relater's own index (archive_records, archive_postings) is
/// its business and is never read here.
/// </summary>
internal static class RelationQueries
{
    /// <summary>A story's documents read for its page: enough for any real story, bounded for a runaway one.</summary>
    public const int MaxStoryDocuments = 500;

    private const int StoryListEntities = 5;

    public static async Task<StoryPage> ListStoriesAsync(IRelationSource source, StoryListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Check();
        var date = source.Dialect.ReportDate;
        var page = $"""
            SELECT r.story_id, count(*) AS documents, count(r.duplicate_of) AS reprints,
                min({date("d")}) AS first_date, max({date("d")}) AS last_date
            FROM document_relations r JOIN documents d ON d.document_id = r.document_id
            GROUP BY r.story_id
            ORDER BY last_date DESC, r.story_id
            LIMIT $1 OFFSET $2
            """;
        var sql = new RelationSql(
            [
                "SELECT count(DISTINCT story_id) AS total FROM document_relations",
                $"""
                WITH page AS ({page})
                SELECT p.story_id, p.documents, p.reprints, p.first_date, p.last_date,
                    {FirstReport(source.Dialect, "p", "title")} AS title, {FirstReport(source.Dialect, "p", "document_id")} AS first_document_id
                FROM page p
                ORDER BY p.last_date DESC, p.story_id
                """,
                $"""
                WITH page AS ({page})
                SELECT r.story_id, a.entity_id, a.type, a.name, count(*) AS mentions, count(DISTINCT l.document_id) AS documents
                FROM page p JOIN document_relations r ON r.story_id = p.story_id
                    JOIN entity_links l ON l.document_id = r.document_id JOIN archive_entities a ON a.entity_id = l.entity_id
                GROUP BY r.story_id, a.entity_id, a.type, a.name
                ORDER BY r.story_id, documents DESC, mentions DESC, a.name
                """,
            ],
            [query.Limit, query.Offset]);
        return await source.ReadAsync(
            sql,
            async (reader, token) =>
            {
                await reader.ReadAsync(token);
                var total = reader.GetInt64(0);
                await reader.NextResultAsync(token);
                var (storyId, documents, reprints, first, last, title, firstDocument) = (reader.GetOrdinal("story_id"),
                    reader.GetOrdinal("documents"), reader.GetOrdinal("reprints"), reader.GetOrdinal("first_date"),
                    reader.GetOrdinal("last_date"), reader.GetOrdinal("title"), reader.GetOrdinal("first_document_id"));
                var rows = new List<StorySummary>();
                while (await reader.ReadAsync(token))
                {
                    var reprintCount = reader.GetInt64(reprints);
                    rows.Add(new StorySummary(
                        reader.GetString(storyId), reader.GetString(title), reader.GetString(firstDocument),
                        reader.GetInt64(documents) - reprintCount, reprintCount, reader.GetString(first), reader.GetString(last), []));
                }

                await reader.NextResultAsync(token);
                var story = reader.GetOrdinal("story_id");
                var entities = new Dictionary<string, List<StoryEntity>>(StringComparer.Ordinal);
                var entityColumns = new StoryEntityColumns(reader);
                while (await reader.ReadAsync(token))
                {
                    var list = entities.TryGetValue(reader.GetString(story), out var found) ? found : entities[reader.GetString(story)] = [];
                    if (list.Count < StoryListEntities)
                    {
                        list.Add(entityColumns.Read());
                    }
                }

                return new StoryPage(total, [.. rows.Select(r => r with { Entities = entities.GetValueOrDefault(r.StoryId) ?? [] })]);
            },
            ct);
    }

    public static async Task<StoryDetail?> GetStoryAsync(IRelationSource source, string storyId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(storyId);
        var sql = new RelationSql(
            [
                $"""
                SELECT r.document_id, r.duplicate_of, CAST(r.evidence AS text) AS evidence, d.title, d.published_on,
                    {source.Dialect.ReportDate("d")} AS report_date, d.dateline_agency, CAST(d.metadata AS text) AS metadata, d.body
                FROM document_relations r JOIN documents d ON d.document_id = r.document_id
                WHERE r.story_id = $1
                ORDER BY report_date, r.related_at, r.document_id
                LIMIT {MaxStoryDocuments.ToString(CultureInfo.InvariantCulture)}
                """,
                """
                SELECT a.entity_id, a.type, a.name, count(*) AS mentions, count(DISTINCT l.document_id) AS documents
                FROM document_relations r JOIN entity_links l ON l.document_id = r.document_id
                    JOIN archive_entities a ON a.entity_id = l.entity_id
                WHERE r.story_id = $1
                GROUP BY a.entity_id, a.type, a.name
                ORDER BY documents DESC, mentions DESC, a.name
                """,
            ],
            [storyId]);
        return await source.ReadAsync(
            sql,
            async (reader, token) =>
            {
                var documents = new List<RelatedDocument>();
                var columns = new RelatedDocumentColumns(reader);
                while (await reader.ReadAsync(token))
                {
                    documents.Add(columns.Read());
                }

                await reader.NextResultAsync(token);
                var entities = await ReadStoryEntitiesAsync(reader, token);
                return documents.Count == 0 ? null : Fold(storyId, documents, entities);
            },
            ct);
    }

    /// <summary>The story's page: originals on a timeline, each copy under the original it copies.</summary>
    private static StoryDetail Fold(string storyId, List<RelatedDocument> documents, IReadOnlyList<StoryEntity> entities)
    {
        var byId = documents.ToDictionary(d => d.DocumentId, StringComparer.Ordinal);
        RelatedDocument Original(RelatedDocument document)
        {
            // duplicateOf names the earliest copy; following it further guards against a chain, and a loop (which
            // no decision should make) leaves its documents on the timeline rather than nowhere.
            var seen = new HashSet<string>(StringComparer.Ordinal) { document.DocumentId };
            var original = document;
            while (original.DuplicateOf is { } of && byId.TryGetValue(of, out var next))
            {
                if (!seen.Add(next.DocumentId))
                {
                    return document;
                }

                original = next;
            }

            return original;
        }

        var reprints = documents.Where(d => Original(d) != d).ToLookup(Original);
        var timeline = documents.Where(d => Original(d) == d).Select(d => new StoryReport(
            d.DocumentId,
            d.Title,
            d.Date,
            d.PublishedOn,
            d.Outlet,
            ReprintChanges.CountWords(d.Body),
            d.Evidence,
            [.. reprints[d].Select(r => new StoryReprint(
                r.DocumentId, r.Title, r.Date, r.PublishedOn, r.Outlet, r.Evidence.Duplicate, ReprintChanges.Compare(d.Title, d.Body, r.Title, r.Body)))]))
            .ToList();
        var reprintCount = documents.Count - timeline.Count;
        return new StoryDetail(
            storyId, timeline[0].Title, timeline.Count, reprintCount, documents.Min(d => d.Date)!, documents.Max(d => d.Date)!, timeline, entities);
    }

    public static async Task<EntityDetail?> GetEntityAsync(IRelationSource source, string entityId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entityId);
        var date = source.Dialect.ReportDate;
        var sql = new RelationSql(
            [
                """
                SELECT a.entity_id, a.type, a.name, CAST(a.aliases AS text) AS aliases,
                    (SELECT count(DISTINCT l.document_id) FROM entity_links l WHERE l.entity_id = a.entity_id) AS documents,
                    (SELECT count(*) FROM entity_links l WHERE l.entity_id = a.entity_id) AS mentions
                FROM archive_entities a WHERE a.entity_id = $1
                """,
                """
                SELECT e.text, count(*) AS mentions
                FROM entity_links l JOIN entities e ON e.document_id = l.document_id AND e.ordinal = l.ordinal
                WHERE l.entity_id = $1 AND l.in_title = false
                GROUP BY e.text ORDER BY mentions DESC, e.text LIMIT 50
                """,
                """
                SELECT d.document_id, d.title, d.published_on, count(*) AS mentions, r.story_id
                FROM entity_links l JOIN documents d ON d.document_id = l.document_id
                    LEFT JOIN document_relations r ON r.document_id = l.document_id
                WHERE l.entity_id = $1
                GROUP BY d.document_id, d.title, d.published_on, d.stored_at, r.story_id
                ORDER BY d.published_on IS NULL, d.published_on DESC, d.stored_at DESC, d.document_id
                LIMIT 100
                """,
                """
                SELECT a.entity_id, a.type, a.name, count(DISTINCT o.document_id) AS shared, count(*) AS mentions
                FROM entity_links o JOIN archive_entities a ON a.entity_id = o.entity_id
                WHERE o.document_id IN (SELECT document_id FROM entity_links WHERE entity_id = $1) AND o.entity_id <> $1
                GROUP BY a.entity_id, a.type, a.name
                ORDER BY shared DESC, mentions DESC, a.name
                LIMIT 15
                """,
                $"""
                SELECT CAST(e.roles AS text) AS roles, d.document_id, d.title, {date("d")} AS report_date
                FROM entity_links l JOIN entities e ON e.document_id = l.document_id AND e.ordinal = l.ordinal
                    JOIN documents d ON d.document_id = l.document_id
                WHERE l.entity_id = $1 AND l.in_title = false AND e.roles IS NOT NULL
                ORDER BY report_date, d.document_id, e.ordinal
                LIMIT 500
                """,
                $"""
                SELECT r.story_id, count(DISTINCT r.document_id) AS documents, min({date("d")}) AS first_date,
                    max({date("d")}) AS last_date, {FirstReport(source.Dialect, "r", "title")} AS title
                FROM entity_links l JOIN document_relations r ON r.document_id = l.document_id
                    JOIN documents d ON d.document_id = r.document_id
                WHERE l.entity_id = $1
                GROUP BY r.story_id
                ORDER BY last_date DESC, r.story_id
                LIMIT 50
                """,
            ],
            [entityId]);
        return await source.ReadAsync(sql, ReadEntityAsync, ct);
    }

    private static async Task<EntityDetail?> ReadEntityAsync(DbDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var entityId = reader.GetString(reader.GetOrdinal("entity_id"));
        var type = reader.GetString(reader.GetOrdinal("type"));
        var name = reader.GetString(reader.GetOrdinal("name"));
        var names = StorageJson.ReadNames(reader.GetString(reader.GetOrdinal("aliases")));
        var (documentCount, mentions) = (reader.GetInt64(reader.GetOrdinal("documents")), reader.GetInt64(reader.GetOrdinal("mentions")));
        await reader.NextResultAsync(ct);
        var (aliases, documents, related) = await StoredRows.ReadEntityRowsAsync(reader, ct);

        await reader.NextResultAsync(ct);
        var (roles, documentId, title, date) =
            (reader.GetOrdinal("roles"), reader.GetOrdinal("document_id"), reader.GetOrdinal("title"), reader.GetOrdinal("report_date"));
        var roleRows = new List<EntityRole>();
        var seen = new HashSet<(string, string)>();
        while (await reader.ReadAsync(ct))
        {
            foreach (var role in StorageJson.ReadRoles(reader.GetString(roles)) ?? [])
            {
                if (!string.IsNullOrWhiteSpace(role) && seen.Add((role.Trim().ToLowerInvariant(), reader.GetString(documentId))))
                {
                    roleRows.Add(new EntityRole(role.Trim(), reader.GetString(date), reader.GetString(documentId), reader.GetString(title)));
                }
            }
        }

        await reader.NextResultAsync(ct);
        var (story, storyDocuments, first, last, storyTitle) = (reader.GetOrdinal("story_id"), reader.GetOrdinal("documents"),
            reader.GetOrdinal("first_date"), reader.GetOrdinal("last_date"), reader.GetOrdinal("title"));
        var stories = new List<EntityStory>();
        while (await reader.ReadAsync(ct))
        {
            stories.Add(new EntityStory(
                reader.GetString(story), reader.GetString(storyTitle), reader.GetInt64(storyDocuments), reader.GetString(first), reader.GetString(last)));
        }

        return new EntityDetail(type, name, documentCount, mentions, aliases, documents, related)
        {
            EntityId = entityId,
            Names = names,
            Roles = roleRows,
            Stories = stories,
        };
    }

    public static async Task<DocumentRelation?> GetRelationAsync(IRelationSource source, string documentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var sql = new RelationSql(
            [
                $"""
                SELECT r.story_id, r.duplicate_of, CAST(r.evidence AS text) AS evidence, {FirstReport(source.Dialect, "r", "title")} AS story_title
                FROM document_relations r WHERE r.document_id = $1
                """,
                "SELECT document_id FROM document_relations WHERE duplicate_of = $1 ORDER BY related_at, document_id",
                """
                SELECT CASE WHEN in_title THEN 1 ELSE 0 END AS title_link, ordinal, entity_id
                FROM entity_links WHERE document_id = $1 ORDER BY title_link, ordinal
                """,
                """
                SELECT a.entity_id, a.type, a.name, count(*) AS mentions, count(DISTINCT l.document_id) AS documents
                FROM entity_links l JOIN archive_entities a ON a.entity_id = l.entity_id
                WHERE l.document_id = $1
                GROUP BY a.entity_id, a.type, a.name
                ORDER BY mentions DESC, a.name
                """,
            ],
            [documentId]);
        return await source.ReadAsync(
            sql,
            async (reader, token) =>
            {
                if (!await reader.ReadAsync(token))
                {
                    return null;
                }

                var storyId = reader.GetString(reader.GetOrdinal("story_id"));
                var duplicateOf = reader.NullableString(reader.GetOrdinal("duplicate_of"));
                var evidence = StorageJson.ReadEvidence(reader.GetString(reader.GetOrdinal("evidence")));
                var storyTitle = reader.GetString(reader.GetOrdinal("story_title"));
                await reader.NextResultAsync(token);
                var reprints = new List<string>();
                while (await reader.ReadAsync(token))
                {
                    reprints.Add(reader.GetString(0));
                }

                await reader.NextResultAsync(token);
                var (inTitle, ordinal, entityId) = (reader.GetOrdinal("title_link"), reader.GetOrdinal("ordinal"), reader.GetOrdinal("entity_id"));
                var links = new List<EntityLink>();
                while (await reader.ReadAsync(token))
                {
                    links.Add(new EntityLink(reader.GetInt32(inTitle) == 1, reader.GetInt32(ordinal), reader.GetString(entityId)));
                }

                await reader.NextResultAsync(token);
                var entities = await ReadStoryEntitiesAsync(reader, token);
                return new DocumentRelation(storyId, storyTitle, duplicateOf, reprints, evidence, links, entities);
            },
            ct);
    }

    /// <summary>
    /// Folds the page's copies under their originals: a hit that copies another hit on the page (or copies the same
    /// original as a better-ranked hit) leaves the list and is listed in that hit's <see cref="SearchHit.Reprints"/>.
    /// The total still counts documents.
    /// </summary>
    public static async Task<DocumentPage> FoldReprintsAsync(IRelationSource source, DocumentPage page, CancellationToken ct)
    {
        if (page.Hits.Count == 0)
        {
            return page;
        }

        var sql = new RelationSql(
            [$"SELECT document_id, duplicate_of, story_id FROM document_relations WHERE document_id {source.Dialect.InList(1)}"],
            [page.Hits.Select(h => h.DocumentId).ToArray()]);
        var relations = await source.ReadAsync(
            sql,
            async (reader, token) =>
            {
                var rows = new Dictionary<string, (string? DuplicateOf, string StoryId)>(StringComparer.Ordinal);
                while (await reader.ReadAsync(token))
                {
                    rows[reader.GetString(0)] = (reader.NullableString(1), reader.GetString(2));
                }

                return rows;
            },
            ct);
        if (relations.Count == 0)
        {
            return page;
        }

        var hits = page.Hits.Select(h => relations.TryGetValue(h.DocumentId, out var r) ? h with { StoryId = r.StoryId, DuplicateOf = r.DuplicateOf } : h).ToList();
        var onPage = hits.Select(h => h.DocumentId).ToHashSet(StringComparer.Ordinal);
        string Original(SearchHit hit) => hit.DuplicateOf is { } of && onPage.Contains(of) ? of : hit.DuplicateOf ?? hit.DocumentId;

        // Each group sits where its best-ranked hit was, led by the original when the original is on the page.
        var folded = new List<SearchHit>();
        foreach (var group in hits.GroupBy(Original, StringComparer.Ordinal))
        {
            var lead = group.FirstOrDefault(h => h.DocumentId == group.Key) ?? group.First();
            folded.Add(lead with { Reprints = [.. group.Where(h => h != lead).Select(h => new ReprintHit(h.DocumentId, h.Title, h.PublishedOn))] });
        }

        return page with { Hits = folded };
    }

    public static async Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(IRelationSource source, EntityListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Check();
        var arguments = new List<object>();
        string Argument(object value)
        {
            arguments.Add(value);
            return "$" + arguments.Count.ToString(CultureInfo.InvariantCulture);
        }

        var archive = new StringBuilder("true");
        var unrelated = new StringBuilder(
            "NOT EXISTS (SELECT 1 FROM entity_links l WHERE l.document_id = e.document_id AND l.in_title = false AND l.ordinal = e.ordinal)");
        if (!string.IsNullOrWhiteSpace(query.Type))
        {
            var type = Argument(query.Type.Trim());
            archive.Append(" AND a.type = ").Append(type);
            unrelated.Append(" AND e.type = ").Append(type);
        }

        if (!string.IsNullOrWhiteSpace(query.Text))
        {
            var pattern = Argument(LikePattern.Contains(query.Text.Trim()));
            archive.Append($" AND (lower(a.name) LIKE lower({pattern}) ESCAPE '\\' OR lower(CAST(a.aliases AS text)) LIKE lower({pattern}) ESCAPE '\\')");
            unrelated.Append($" AND lower(e.name) LIKE lower({pattern}) ESCAPE '\\'");
        }

        // Mentions the relate stage linked count for their archive entity; the others (documents not related yet,
        // mentions it links to nothing) keep the per-name entity they had before the relate stage existed.
        var sql = new RelationSql(
            [
                $"""
                SELECT entity_id, type, name, aliases, documents, mentions FROM (
                    SELECT a.entity_id, a.type, a.name, CAST(a.aliases AS text) AS aliases,
                        count(DISTINCT l.document_id) AS documents, count(*) AS mentions
                    FROM archive_entities a JOIN entity_links l ON l.entity_id = a.entity_id
                    WHERE {archive}
                    GROUP BY a.entity_id, a.type, a.name, a.aliases
                    UNION ALL
                    SELECT NULL, e.type, e.name, NULL, count(DISTINCT e.document_id), count(*)
                    FROM entities e
                    WHERE {unrelated}
                    GROUP BY e.type, e.name) listed
                ORDER BY documents DESC, mentions DESC, name, entity_id
                LIMIT {Argument(query.Limit)}
                """,
            ],
            arguments);
        return await source.ReadAsync(sql, StoredRows.ReadEntitySummariesAsync, ct);
    }

    /// <summary>A column of a story's first original report (the earliest, then the first related), for a row with <c>story_id</c>.</summary>
    private static string FirstReport(SqlDialect dialect, string alias, string column) => $"""
        (SELECT d2.{column} FROM document_relations r2 JOIN documents d2 ON d2.document_id = r2.document_id
            WHERE r2.story_id = {alias}.story_id
            ORDER BY r2.duplicate_of IS NOT NULL, {dialect.ReportDate("d2")}, r2.related_at, d2.document_id LIMIT 1)
        """;

    private static async Task<IReadOnlyList<StoryEntity>> ReadStoryEntitiesAsync(DbDataReader reader, CancellationToken ct)
    {
        var columns = new StoryEntityColumns(reader);
        var entities = new List<StoryEntity>();
        while (await reader.ReadAsync(ct))
        {
            entities.Add(columns.Read());
        }

        return entities;
    }

    private sealed class StoryEntityColumns(DbDataReader reader)
    {
        private readonly int _entityId = reader.GetOrdinal("entity_id");
        private readonly int _type = reader.GetOrdinal("type");
        private readonly int _name = reader.GetOrdinal("name");
        private readonly int _mentions = reader.GetOrdinal("mentions");
        private readonly int _documents = reader.GetOrdinal("documents");

        public StoryEntity Read() => new(
            reader.GetString(_entityId), reader.GetString(_type), reader.GetString(_name), reader.GetInt64(_mentions), reader.GetInt64(_documents));
    }

    private sealed record RelatedDocument(
        string DocumentId, string? DuplicateOf, RelationEvidence Evidence, string Title, string? PublishedOn, string Date, string? Outlet, string Body);

    private sealed class RelatedDocumentColumns(DbDataReader reader)
    {
        private readonly int _documentId = reader.GetOrdinal("document_id");
        private readonly int _duplicateOf = reader.GetOrdinal("duplicate_of");
        private readonly int _evidence = reader.GetOrdinal("evidence");
        private readonly int _title = reader.GetOrdinal("title");
        private readonly int _publishedOn = reader.GetOrdinal("published_on");
        private readonly int _date = reader.GetOrdinal("report_date");
        private readonly int _agency = reader.GetOrdinal("dateline_agency");
        private readonly int _metadata = reader.GetOrdinal("metadata");
        private readonly int _body = reader.GetOrdinal("body");

        public RelatedDocument Read()
        {
            var site = StorageJson.ReadMetadata(reader.GetString(_metadata)).SiteName;
            return new RelatedDocument(
                reader.GetString(_documentId),
                reader.NullableString(_duplicateOf),
                StorageJson.ReadEvidence(reader.GetString(_evidence)),
                reader.GetString(_title),
                reader.NullableString(_publishedOn),
                reader.GetString(_date),
                string.IsNullOrWhiteSpace(site) ? reader.NullableString(_agency) : site,
                reader.GetString(_body));
        }
    }
}
