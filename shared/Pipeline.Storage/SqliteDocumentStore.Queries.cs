using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.Contracts;

namespace Pipeline.Storage;

// The read side's queries. SQL text is assembled only from the constant fragments below; every value the
// caller gives travels as a parameter.
public sealed partial class SqliteDocumentStore : IRelationSource
{
    // Timestamps are ISO 8601 text: the first ten characters are the UTC day.
    private static readonly SqlDialect RelationDialect = new(
        alias => $"coalesce({alias}.published_on, substr({alias}.ingested_at, 1, 10))",
        parameter => $"IN (SELECT value FROM json_each(${parameter}))");

    private const string EntityDetailSql = """
        SELECT count(DISTINCT document_id) AS documents, count(*) AS mentions FROM entities WHERE type = $type AND name = $name;

        SELECT text, count(*) AS mentions FROM entities WHERE type = $type AND name = $name
        GROUP BY text ORDER BY mentions DESC, text LIMIT 50;

        SELECT d.document_id, d.title, d.published_on, count(*) AS mentions
        FROM entities e JOIN documents d ON d.document_id = e.document_id
        WHERE e.type = $type AND e.name = $name
        GROUP BY d.document_id, d.title, d.published_on, d.stored_at
        ORDER BY d.published_on IS NULL, d.published_on DESC, d.stored_at DESC, d.document_id
        LIMIT 100;

        SELECT o.type, o.name, count(DISTINCT o.document_id) AS shared, count(*) AS mentions
        FROM entities o
        WHERE o.document_id IN (SELECT document_id FROM entities WHERE type = $type AND name = $name)
            AND NOT (o.type = $type AND o.name = $name)
        GROUP BY o.type, o.name
        ORDER BY shared DESC, mentions DESC, o.name
        LIMIT 15;
        """;

    // Snippets are FTS5's own, but over a copy of the page's windows (SnippetMarkup.Window) in a temporary
    // table of the connection: snippet() over a whole text of megabytes scores every match against every other.
    private static readonly string SnippetWindowsSql = $"""
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.snippet_windows USING fts5 (title, body, tokenize = '{FtsTokenizer}');
        DELETE FROM temp.snippet_windows;
        INSERT INTO temp.snippet_windows (rowid, title, body)
            SELECT id, title, substr(body, 1, {SnippetMarkup.Window}) FROM documents WHERE id IN (SELECT value FROM json_each($ids));
        SELECT rowid AS id, snippet(snippet_windows, 1, $open, $close, $ellipsis, 32) AS body_snippet,
            snippet(snippet_windows, 0, $open, $close, $ellipsis, 32) AS title_snippet
        FROM temp.snippet_windows WHERE snippet_windows MATCH $query;
        """;

    /// <inheritdoc />
    public async Task<DocumentPage> SearchDocumentsAsync(DocumentQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Check();
        string? match = null;
        if (query.HasText)
        {
            match = Fts5Query.Build(query.Text);
            if (match is null)
            {
                return new DocumentPage(0, []);
            }
        }

        await InitializeAsync(ct);
        var page = await SearchDeadline.RunAsync(
            _searchTimeout,
            deadline => RunAsync(
                async token =>
                {
                    await using var connection = await OpenAsync(token);
                    using var interrupt = InterruptOnCancel(connection, token);
                    await using var transaction = connection.BeginTransaction(deferred: true);
                    var (total, rows) = await ReadPageAsync(connection, transaction, query, match, token);
                    var snippets = match is null || rows.Count == 0
                        ? []
                        : await ReadSnippetsAsync(connection, transaction, match, rows, token);
                    var hits = rows.Select(r =>
                    {
                        var (body, title) = snippets.GetValueOrDefault(r.Id);
                        return r.Row.ToHit(match is not null, body, title);
                    }).ToList();
                    return new DocumentPage(total, hits);
                },
                deadline),
            ct);
        return query.FoldReprints ? await RelationQueries.FoldReprintsAsync(this, page, ct) : page;
    }

    private static async Task<(long Total, List<(long Id, SearchRow Row)> Rows)> ReadPageAsync(
        SqliteConnection connection, SqliteTransaction transaction, DocumentQuery query, string? match, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, string.Empty);
        command.CommandText = SearchSql(command.Parameters, query, match);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt64(0);
        await reader.NextResultAsync(ct);
        var columns = new SearchRowReader(reader);
        var id = reader.GetOrdinal("id");
        var rows = new List<(long, SearchRow)>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add((reader.GetInt64(id), columns.Read()));
        }

        return (total, rows);
    }

    private static async Task<Dictionary<long, (string? Body, string? Title)>> ReadSnippetsAsync(
        SqliteConnection connection, SqliteTransaction transaction, string match, List<(long Id, SearchRow Row)> rows, CancellationToken ct)
    {
        await using var command = Command(connection, transaction, SnippetWindowsSql);
        command.Parameters.AddWithValue("$ids", "[" + string.Join(',', rows.Select(r => r.Id.ToString(CultureInfo.InvariantCulture))) + "]");
        command.Parameters.AddWithValue("$query", match);
        command.Parameters.AddWithValue("$open", SnippetMarkup.Open);
        command.Parameters.AddWithValue("$close", SnippetMarkup.Close);
        command.Parameters.AddWithValue("$ellipsis", SnippetMarkup.Ellipsis);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var (id, bodySnippet, titleSnippet) = (reader.GetOrdinal("id"), reader.GetOrdinal("body_snippet"), reader.GetOrdinal("title_snippet"));
        var snippets = new Dictionary<long, (string?, string?)>();
        while (await reader.ReadAsync(ct))
        {
            snippets[reader.GetInt64(id)] = (reader.NullableString(bodySnippet), reader.NullableString(titleSnippet));
        }

        return snippets;
    }

    private static string SearchSql(SqliteParameterCollection p, DocumentQuery query, string? match)
    {
        var where = new StringBuilder(match is null ? "1" : "documents_fts MATCH $query");
        if (match is not null)
        {
            p.AddWithValue("$query", match);
        }

        var n = 0;
        foreach (var (type, fragment) in query.EntityFilters())
        {
            var t = "$type" + n.ToString(CultureInfo.InvariantCulture);
            var f = "$pattern" + n.ToString(CultureInfo.InvariantCulture);
            n++;
            p.AddWithValue(t, type);
            p.AddWithValue(f, LikePattern.Contains(fragment));
            where.Append(" AND EXISTS (SELECT 1 FROM entities e WHERE e.document_id = d.document_id AND e.type = ").Append(t)
                .Append(" AND (e.name LIKE ").Append(f).Append(" ESCAPE '\\' OR e.text LIKE ").Append(f).Append(" ESCAPE '\\'))");
        }

        if (query.PlaceFilter is { } place)
        {
            p.AddWithValue("$place_type", EntityTypes.Location);
            p.AddWithValue("$place", LikePattern.Contains(place));
            where.Append(" AND (d.dateline_place LIKE $place ESCAPE '\\' OR EXISTS (SELECT 1 FROM entities e")
                .Append(" WHERE e.document_id = d.document_id AND e.type = $place_type")
                .Append(" AND (e.name LIKE $place ESCAPE '\\' OR e.text LIKE $place ESCAPE '\\')))");
        }

        if (query.From is { } from)
        {
            p.AddWithValue("$from", DocumentQuery.IsoDate(from));
            where.Append(" AND d.published_on >= $from");
        }

        if (query.To is { } to)
        {
            p.AddWithValue("$to", DocumentQuery.IsoDate(to));
            where.Append(" AND d.published_on <= $to");
        }

        p.AddWithValue("$limit", query.Limit);
        p.AddWithValue("$offset", query.Offset);
        // rank: higher is better, as in PostgreSQL, so bm25 (lower is better) negated; a row found without text
        // has the negated score 0, -0.0.
        var order = match is not null && query.Sort == DocumentSort.Relevance
            ? "rank DESC, d.document_id"
            : "d.published_on IS NULL, d.published_on DESC, d.stored_at DESC, d.document_id";
        if (match is null)
        {
            return $"""
                SELECT count(*) FROM documents d WHERE {where};
                SELECT d.id, d.document_id, d.title, -0.0 AS rank, d.published_on, d.summary, substr(d.body, 1, 400) AS body_start
                FROM documents d WHERE {where}
                ORDER BY {order}
                LIMIT $limit OFFSET $offset;
                """;
        }

        return $"""
            SELECT count(*) FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid WHERE {where};
            SELECT d.id, d.document_id, d.title, -bm25(documents_fts, 10.0, 1.0) AS rank, d.published_on, NULL AS summary,
                substr(d.body, 1, 400) AS body_start
            FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
            WHERE {where}
            ORDER BY {order}
            LIMIT $limit OFFSET $offset;
            """;
    }

    SqlDialect IRelationSource.Dialect => RelationDialect;

    async Task<T> IRelationSource.ReadAsync<T>(RelationSql sql, Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await InitializeAsync(ct);
        return await RunAsync(
            async token =>
            {
                await using var connection = await OpenAsync(token);
                using var interrupt = InterruptOnCancel(connection, token);
                await using var transaction = connection.BeginTransaction(deferred: true);
                await using var command = Command(connection, transaction, string.Join(";\n", sql.Statements));
                for (var i = 0; i < sql.Arguments.Count; i++)
                {
                    command.Parameters.AddWithValue(
                        "$" + (i + 1).ToString(CultureInfo.InvariantCulture),
                        sql.Arguments[i] is string[] list ? JsonSerializer.Serialize(list) : sql.Arguments[i]);
                }

                await using var reader = await command.ExecuteReaderAsync(token);
                return await read(reader, token);
            },
            ct);
    }

    /// <inheritdoc />
    public async Task<EntityDetail?> GetEntityAsync(string type, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(name);
        await InitializeAsync(ct);
        return await RunAsync<EntityDetail?>(
            async token =>
            {
                await using var connection = await OpenAsync(token);
                using var interrupt = InterruptOnCancel(connection, token);
                await using var transaction = connection.BeginTransaction(deferred: true);
                await using var command = Command(connection, transaction, EntityDetailSql);
                command.Parameters.AddWithValue("$type", type);
                command.Parameters.AddWithValue("$name", name);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await StoredRows.ReadEntityDetailAsync(reader, type, name, token);
            },
            ct);
    }
}
