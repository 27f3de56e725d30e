using System.Data;
using System.Data.Common;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Pipeline.Contracts;

namespace Pipeline.Storage;

// The read side's queries. SQL text is assembled only from the constant fragments below; every value the
// caller gives travels as a parameter.
public sealed partial class PostgresDocumentStore : IRelationSource
{
    private static readonly SqlDialect RelationDialect = new(
        alias => $"coalesce({alias}.published_on, to_char({alias}.ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'))",
        parameter => $"= ANY(${parameter})");

    private const string EntityDocumentCountsSql = """
        SELECT count(DISTINCT document_id) AS documents, count(*) AS mentions FROM entities WHERE type = $1 AND name = $2
        """;

    private const string EntityAliasesSql = """
        SELECT text, count(*) AS mentions FROM entities WHERE type = $1 AND name = $2
        GROUP BY text ORDER BY mentions DESC, text LIMIT 50
        """;

    private const string EntityDocumentsSql = """
        SELECT d.document_id, d.title, d.published_on, count(*) AS mentions
        FROM entities e JOIN documents d ON d.document_id = e.document_id
        WHERE e.type = $1 AND e.name = $2
        GROUP BY d.document_id, d.title, d.published_on, d.stored_at
        ORDER BY d.published_on DESC NULLS LAST, d.stored_at DESC, d.document_id
        LIMIT 100
        """;

    private const string CoOccurringSql = """
        SELECT o.type, o.name, count(DISTINCT o.document_id) AS shared, count(*) AS mentions
        FROM entities o
        WHERE o.document_id IN (SELECT document_id FROM entities WHERE type = $1 AND name = $2)
            AND NOT (o.type = $1 AND o.name = $2)
        GROUP BY o.type, o.name
        ORDER BY shared DESC, mentions DESC, o.name
        LIMIT 15
        """;

    /// <inheritdoc />
    public async Task<DocumentPage> SearchDocumentsAsync(DocumentQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Check();
        string? text = null;
        if (query.HasText)
        {
            // websearch_to_tsquery never fails on syntax; control characters are dropped like the tokenizer would.
            text = new string([.. query.Text!.Where(c => !char.IsControl(c))]);
            if (Fts5Query.Build(text) is null)
            {
                return new DocumentPage(0, []); // No word to search for, as SQLite sees it too.
            }
        }

        await InitializeAsync(ct);
        var page = await SearchDeadline.RunAsync(_searchTimeout, deadline => SearchAsync(query, text, deadline), ct);
        return query.FoldReprints ? await RelationQueries.FoldReprintsAsync(this, page, ct) : page;
    }

    // Npgsql cancels the server's query when the token is cancelled.
    private async Task<DocumentPage> SearchAsync(DocumentQuery query, string? text, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, token);
                await using var batch = new NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(SearchCommand(query, text, count: true));
                batch.BatchCommands.Add(SearchCommand(query, text, count: false));
                await using var reader = await batch.ExecuteReaderAsync(token);
                await reader.ReadAsync(token);
                var total = reader.GetInt64(0);
                await reader.NextResultAsync(token);
                var rows = new SearchRowReader(reader);
                var (bodySnippet, titleSnippet) = (reader.GetOrdinal("body_snippet"), reader.GetOrdinal("title_snippet"));
                var hits = new List<SearchHit>();
                while (await reader.ReadAsync(token))
                {
                    hits.Add(rows.Read().ToHit(text is not null, reader.NullableString(bodySnippet), reader.NullableString(titleSnippet)));
                }

                return new DocumentPage(total, hits);
            },
            ct);

    private static NpgsqlBatchCommand SearchCommand(DocumentQuery query, string? text, bool count)
    {
        var command = new NpgsqlBatchCommand();
        var p = command.Parameters;
        string Add(NpgsqlParameter parameter)
        {
            p.Add(parameter);
            return "$" + p.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var where = new StringBuilder();
        string? q = null;
        if (text is not null)
        {
            q = Add(Parameter(text));
            where.Append("d.search @@ q.query AND querytree(q.query) <> 'T'");
        }
        else
        {
            where.Append("true");
        }

        foreach (var (type, fragment) in query.EntityFilters())
        {
            var typeParameter = Add(Parameter(type));
            var pattern = Add(Parameter(LikePattern.Contains(fragment)));
            where.Append(" AND EXISTS (SELECT 1 FROM entities e WHERE e.document_id = d.document_id AND e.type = ")
                .Append(typeParameter).Append(" AND (e.name ILIKE ").Append(pattern).Append(" ESCAPE '\\' OR e.text ILIKE ")
                .Append(pattern).Append(" ESCAPE '\\'))");
        }

        if (query.PlaceFilter is { } place)
        {
            var typeParameter = Add(Parameter(EntityTypes.Location));
            var pattern = Add(Parameter(LikePattern.Contains(place)));
            where.Append(" AND (d.dateline_place ILIKE ").Append(pattern)
                .Append(" ESCAPE '\\' OR EXISTS (SELECT 1 FROM entities e WHERE e.document_id = d.document_id AND e.type = ")
                .Append(typeParameter).Append(" AND (e.name ILIKE ").Append(pattern).Append(" ESCAPE '\\' OR e.text ILIKE ")
                .Append(pattern).Append(" ESCAPE '\\')))");
        }

        if (query.From is { } from)
        {
            where.Append(" AND d.published_on >= ").Append(Add(Parameter(DocumentQuery.IsoDate(from))));
        }

        if (query.To is { } to)
        {
            where.Append(" AND d.published_on <= ").Append(Add(Parameter(DocumentQuery.IsoDate(to))));
        }

        var source = q is null
            ? "documents d"
            : $"documents d, (SELECT websearch_to_tsquery('simple'::regconfig, {q}) AS query) q";
        if (count)
        {
            command.CommandText = $"SELECT count(*) FROM {source} WHERE {where}";
            return command;
        }

        var order = q is not null && query.Sort == DocumentSort.Relevance
            ? "rank DESC, document_id"
            : "published_on DESC NULLS LAST, stored_at DESC, document_id";
        var limit = Add(new NpgsqlParameter<int> { TypedValue = query.Limit });
        var offset = Add(new NpgsqlParameter<int> { TypedValue = query.Offset });
        if (q is null)
        {
            command.CommandText = $"""
                SELECT d.document_id, d.title, NULL::text AS body_snippet, NULL::text AS title_snippet, 0::real AS rank,
                    d.published_on, d.summary, left(d.body, 400) AS body_start, d.stored_at
                FROM {source} WHERE {where}
                ORDER BY {order}
                LIMIT {limit} OFFSET {offset}
                """;
            return command;
        }

        var bodyOptions = Add(Parameter(BodyHeadlineOptions));
        var titleOptions = Add(Parameter(TitleHeadlineOptions));
        // Headlines only for the page's rows, over the start of the text (ts_headline over megabytes takes seconds).
        command.CommandText = $"""
            WITH hits AS (
                SELECT d.document_id, d.title, substr(d.body, 1, {SnippetMarkup.Window}) AS body, d.published_on, d.stored_at, ts_rank(d.search, q.query) AS rank, q.query
                FROM {source} WHERE {where}
                ORDER BY {order}
                LIMIT {limit} OFFSET {offset})
            SELECT document_id, title,
                ts_headline('simple'::regconfig, body, query, {bodyOptions}) AS body_snippet,
                ts_headline('simple'::regconfig, title, query, {titleOptions}) AS title_snippet,
                rank, published_on, NULL::text AS summary, NULL::text AS body_start, stored_at
            FROM hits
            ORDER BY {order}
            """;
        return command;
    }

    SqlDialect IRelationSource.Dialect => RelationDialect;

    async Task<T> IRelationSource.ReadAsync<T>(RelationSql sql, Func<DbDataReader, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        await InitializeAsync(ct);
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, token);
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var statement in sql.Statements)
                {
                    batch.BatchCommands.Add(WithParameters(statement, [.. sql.Arguments.Select(RelationParameter)]));
                }

                await using var reader = await batch.ExecuteReaderAsync(token);
                return await read(reader, token);
            },
            ct);
    }

    private static NpgsqlParameter RelationParameter(object value) => value switch
    {
        string text => Parameter(text),
        int number => Parameter(number),
        string[] list => Parameter(list),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.GetType(), "Relation queries take strings, integers and string arrays."),
    };

    /// <inheritdoc />
    public async Task<EntityDetail?> GetEntityAsync(string type, string name, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(name);
        await InitializeAsync(ct);
        return await _pipeline.ExecuteAsync<EntityDetail?>(
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, token);
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var sql in (string[])[EntityDocumentCountsSql, EntityAliasesSql, EntityDocumentsSql, CoOccurringSql])
                {
                    batch.BatchCommands.Add(WithParameters(
                        sql,
                        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = type },
                        new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = name }));
                }

                await using var reader = await batch.ExecuteReaderAsync(token);
                return await StoredRows.ReadEntityDetailAsync(reader, type, name, token);
            },
            ct);
    }
}

/// <summary>Snippets for results that were not found by text.</summary>
internal static class QuerySnippets
{
    private const int MaxLength = 240;

    /// <summary>The summary, or the start of the body, HTML-escaped and cut at a word near 240 characters.</summary>
    public static string Lead(string? summary, string? bodyStart)
    {
        var text = string.IsNullOrWhiteSpace(summary) ? bodyStart ?? string.Empty : summary;
        if (text.Length > MaxLength)
        {
            var cut = text.LastIndexOf(' ', MaxLength);
            text = text[..(cut > MaxLength / 2 ? cut : MaxLength)] + SnippetMarkup.Ellipsis;
        }

        return SnippetMarkup.ToHtml(text);
    }
}
