using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Pipeline.Contracts;

namespace Pipeline.Storage;

// The read side's queries. SQL text is assembled only from the constant fragments below; every value the
// caller gives travels as a parameter.
public sealed partial class SqliteDocumentStore
{
    private const string EntityDetailSql = """
        SELECT count(DISTINCT document_id), count(*) FROM entities WHERE type = $type AND name = $name;

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
        return await RunAsync(
            async token =>
            {
                await using var connection = await OpenAsync(token);
                await using var transaction = connection.BeginTransaction(deferred: true);
                await using var command = Command(connection, transaction, string.Empty);
                command.CommandText = SearchSql(command.Parameters, query, match);
                await using var reader = await command.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                var total = reader.GetInt64(0);
                await reader.NextResultAsync(token);
                var hits = new List<SearchHit>();
                while (await reader.ReadAsync(token))
                {
                    var snippet = match is null
                        ? QuerySnippets.Lead(NullableString(reader, 6), NullableString(reader, 7))
                        : SnippetMarkup.Choose(NullableString(reader, 2), NullableString(reader, 3));
                    hits.Add(new SearchHit(
                        reader.GetString(0),
                        reader.GetString(1),
                        snippet,
                        -reader.GetDouble(4), // bm25: lower is better
                        NullableString(reader, 5)));
                }

                return new DocumentPage(total, hits);
            },
            ct);
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
        var order = match is not null && query.Sort == DocumentSort.Relevance
            ? "score, d.document_id"
            : "d.published_on IS NULL, d.published_on DESC, d.stored_at DESC, d.document_id";
        if (match is null)
        {
            return $"""
                SELECT count(*) FROM documents d WHERE {where};
                SELECT d.document_id, d.title, NULL, NULL, 0.0 AS score, d.published_on, d.summary, substr(d.body, 1, 400)
                FROM documents d WHERE {where}
                ORDER BY {order}
                LIMIT $limit OFFSET $offset;
                """;
        }

        p.AddWithValue("$open", SnippetMarkup.Open);
        p.AddWithValue("$close", SnippetMarkup.Close);
        p.AddWithValue("$ellipsis", SnippetMarkup.Ellipsis);
        return $"""
            SELECT count(*) FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid WHERE {where};
            SELECT d.document_id, d.title,
                snippet(documents_fts, 1, $open, $close, $ellipsis, 32),
                snippet(documents_fts, 0, $open, $close, $ellipsis, 32),
                bm25(documents_fts, 10.0, 1.0) AS score,
                d.published_on, NULL, NULL
            FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
            WHERE {where}
            ORDER BY {order}
            LIMIT $limit OFFSET $offset;
            """;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EntitySummary>> ListEntitiesAsync(EntityListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Check();
        await InitializeAsync(ct);
        return await RunAsync(
            async token =>
            {
                await using var connection = await OpenAsync(token);
                await using var command = Command(connection, null, string.Empty);
                var sql = new StringBuilder("SELECT e.type, e.name, count(DISTINCT e.document_id) AS documents, count(*) AS mentions FROM entities e WHERE 1");
                if (!string.IsNullOrWhiteSpace(query.Type))
                {
                    command.Parameters.AddWithValue("$type", query.Type.Trim());
                    sql.Append(" AND e.type = $type");
                }

                if (!string.IsNullOrWhiteSpace(query.Text))
                {
                    command.Parameters.AddWithValue("$pattern", LikePattern.Contains(query.Text.Trim()));
                    sql.Append(" AND e.name LIKE $pattern ESCAPE '\\'");
                }

                command.Parameters.AddWithValue("$limit", query.Limit);
                sql.Append(" GROUP BY e.type, e.name ORDER BY documents DESC, mentions DESC, e.name LIMIT $limit");
                command.CommandText = sql.ToString();
                await using var reader = await command.ExecuteReaderAsync(token);
                var entities = new List<EntitySummary>();
                while (await reader.ReadAsync(token))
                {
                    entities.Add(new EntitySummary(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
                }

                return (IReadOnlyList<EntitySummary>)entities;
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
                await using var transaction = connection.BeginTransaction(deferred: true);
                await using var command = Command(connection, transaction, EntityDetailSql);
                command.Parameters.AddWithValue("$type", type);
                command.Parameters.AddWithValue("$name", name);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await DocumentRows.ReadEntityDetailAsync(reader, type, name, token);
            },
            ct);
    }
}
