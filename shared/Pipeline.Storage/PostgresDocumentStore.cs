using System.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Pipeline.Contracts;
using Polly;

namespace Pipeline.Storage;

/// <summary>
/// The server store: PostgreSQL through a pooled <see cref="NpgsqlDataSource"/>. Full-text search uses a
/// generated <c>tsvector</c> column (title weighted above text, <c>simple</c> configuration: no stemming, so it
/// works alike for every language) with a GIN index, and <c>websearch_to_tsquery</c> for user queries.
/// Only the first 200,000 characters of a text are indexed (a tsvector holds at most 1 MB: a huge text would
/// otherwise fail to store at all). Migrations run under a transaction-scoped advisory lock, so replicas
/// starting at once take turns.
/// </summary>
public sealed partial class PostgresDocumentStore : IDocumentStore, IDisposable
{
    // Any constant: it only has to be the same for every replica of the store (advisory locks are per database).
    private const long MigrationLockKey = 0x50_69_70_65_53_74_6F_72; // "PipeStor"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS documents (
            document_id text PRIMARY KEY,
            file_name text NOT NULL,
            title text NOT NULL,
            body text NOT NULL,
            language text,
            format text NOT NULL,
            metadata jsonb NOT NULL,
            published_on text,
            dateline_date text,
            dateline_place text,
            dateline_agency text,
            dateline_start integer,
            dateline_end integer,
            summary text NOT NULL,
            content bytea NOT NULL,
            ingested_at timestamptz NOT NULL,
            stored_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            search tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple'::regconfig, left(title, 2000)), 'A')
                || setweight(to_tsvector('simple'::regconfig, left(body, 200000)), 'B')) STORED
        );
        CREATE INDEX IF NOT EXISTS ix_documents_search ON documents USING gin (search);
        CREATE INDEX IF NOT EXISTS ix_documents_published_on ON documents (published_on);
        CREATE INDEX IF NOT EXISTS ix_documents_dateline_place ON documents (dateline_place);

        CREATE TABLE IF NOT EXISTS entities (
            document_id text NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
            ordinal integer NOT NULL,
            type text NOT NULL,
            name text NOT NULL,
            text text NOT NULL,
            start_offset integer NOT NULL,
            end_offset integer NOT NULL,
            canonical text,
            roles jsonb,
            PRIMARY KEY (document_id, ordinal)
        );
        CREATE INDEX IF NOT EXISTS ix_entities_type_name ON entities (type, name);

        CREATE TABLE IF NOT EXISTS keywords (
            document_id text NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
            ordinal integer NOT NULL,
            keyword text NOT NULL,
            PRIMARY KEY (document_id, ordinal)
        );
        CREATE INDEX IF NOT EXISTS ix_keywords_keyword ON keywords (keyword);
        """,
        """
        ALTER TABLE documents ADD COLUMN IF NOT EXISTS title_entities jsonb;

        CREATE TABLE IF NOT EXISTS archive_records (
            kind text NOT NULL,
            id text NOT NULL,
            json text NOT NULL,
            PRIMARY KEY (kind, id)
        );
        CREATE TABLE IF NOT EXISTS archive_postings (
            key text NOT NULL,
            id text NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY,
            PRIMARY KEY (key, id)
        );
        CREATE INDEX IF NOT EXISTS ix_archive_postings_key_seq ON archive_postings (key, seq);

        CREATE TABLE IF NOT EXISTS document_relations (
            document_id text PRIMARY KEY REFERENCES documents (document_id) ON DELETE CASCADE,
            story_id text NOT NULL,
            duplicate_of text,
            evidence jsonb NOT NULL,
            related_at timestamptz NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_document_relations_story ON document_relations (story_id);
        CREATE INDEX IF NOT EXISTS ix_document_relations_duplicate_of ON document_relations (duplicate_of);

        CREATE TABLE IF NOT EXISTS archive_entities (
            entity_id text PRIMARY KEY,
            type text NOT NULL,
            name text NOT NULL,
            aliases jsonb NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_archive_entities_type_name ON archive_entities (type, name);

        CREATE TABLE IF NOT EXISTS entity_links (
            document_id text NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
            in_title boolean NOT NULL,
            ordinal integer NOT NULL,
            entity_id text NOT NULL,
            PRIMARY KEY (document_id, in_title, ordinal)
        );
        CREATE INDEX IF NOT EXISTS ix_entity_links_entity ON entity_links (entity_id);
        """,
    ];

    private const string UpsertSql = """
        INSERT INTO documents AS d (document_id, file_name, title, body, language, format, metadata, published_on,
            dateline_date, dateline_place, dateline_agency, dateline_start, dateline_end, summary, content,
            ingested_at, stored_at, updated_at, title_entities)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18)
        ON CONFLICT (document_id) DO UPDATE SET
            file_name = excluded.file_name, title = excluded.title, body = excluded.body,
            language = excluded.language, format = excluded.format, metadata = excluded.metadata,
            published_on = excluded.published_on, dateline_date = excluded.dateline_date,
            dateline_place = excluded.dateline_place, dateline_agency = excluded.dateline_agency,
            dateline_start = excluded.dateline_start, dateline_end = excluded.dateline_end,
            summary = excluded.summary, content = excluded.content, ingested_at = excluded.ingested_at,
            updated_at = excluded.updated_at, title_entities = excluded.title_entities
        RETURNING (xmax = 0) AS inserted
        """;

    private const string DeleteEntitiesSql = "DELETE FROM entities WHERE document_id = ANY($1)";
    private const string DeleteKeywordsSql = "DELETE FROM keywords WHERE document_id = ANY($1)";

    private const string InsertEntitiesSql = """
        INSERT INTO entities (document_id, ordinal, type, name, text, start_offset, end_offset, canonical, roles)
        SELECT e.document_id, e.ordinal, e.type, e.name, e.text, e.start_offset, e.end_offset, e.canonical, e.roles::jsonb
        FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::integer[],
            $8::text[], $9::text[]) AS e (document_id, ordinal, type, name, text, start_offset, end_offset, canonical, roles)
        """;

    private const string InsertKeywordsSql = """
        INSERT INTO keywords (document_id, ordinal, keyword)
        SELECT * FROM unnest($1::text[], $2::integer[], $3::text[])
        """;

    private const string GetEntitiesSql = """
        SELECT type, text, start_offset, end_offset, canonical, roles::text AS roles
        FROM entities WHERE document_id = $1 ORDER BY ordinal
        """;

    private const string GetKeywordsSql = "SELECT keyword FROM keywords WHERE document_id = $1 ORDER BY ordinal";

    // Read after the document's entities and keywords, as StoredRows.ReadDocumentAsync reads them.
    private const string GetSql = """
        SELECT document_id, file_name, title, body, language, format, metadata::text AS metadata, published_on, dateline_date,
            dateline_place, dateline_agency, dateline_start, dateline_end, summary, content, ingested_at,
            stored_at, updated_at, title_entities::text AS title_entities
        FROM documents WHERE document_id = $1
        """;

    private static readonly string BodyHeadlineOptions =
        $"StartSel={SnippetMarkup.Open}, StopSel={SnippetMarkup.Close}, MaxWords=35, MinWords=15, ShortWord=2, "
        + "MaxFragments=2, FragmentDelimiter=\" … \"";

    private static readonly string TitleHeadlineOptions =
        $"StartSel={SnippetMarkup.Open}, StopSel={SnippetMarkup.Close}, HighlightAll=true";

    private readonly NpgsqlDataSource _dataSource;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _searchTimeout;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private volatile bool _initialized;
    private int _misconfigurationLogged;

    public PostgresDocumentStore(
        string connectionString,
        StorageResilienceOptions? resilience = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        _dataSource = builder.Build();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PostgresDocumentStore>();
        resilience ??= new StorageResilienceOptions();
        _pipeline = StorageResilience.Create(resilience, _logger, OnTransientFailure);
        _searchTimeout = resilience.SearchTimeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken ct)
    {
        if (_initialized)
        {
            return;
        }

        await _initializeLock.WaitAsync(ct);
        try
        {
            if (_initialized)
            {
                return;
            }

            await _pipeline.ExecuteAsync(MigrateAsync, ct);
            _initialized = true;
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    private async ValueTask MigrateAsync(CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await CheckEncodingAsync(connection, ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = MigrationLockKey });
        await command.ExecuteNonQueryAsync(ct);
        command.Parameters.Clear();

        command.CommandText = """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """;
        await command.ExecuteNonQueryAsync(ct);
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        var version = (int)(await command.ExecuteScalarAsync(ct))!;
        for (var next = version; next < Migrations.Length; next++)
        {
            command.CommandText = Migrations[next];
            await command.ExecuteNonQueryAsync(ct);
            command.CommandText = "INSERT INTO schema_migrations (version) VALUES ($1)";
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = next + 1 });
            await command.ExecuteNonQueryAsync(ct);
            command.Parameters.Clear();
            _logger.LogInformation("PostgreSQL store: schema migrated to version {Version}", next + 1);
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Throws <see cref="DatabaseMisconfiguredException"/> unless the database is UTF-8: any other encoding
    /// (SQL_ASCII, LATIN1) refuses text it cannot hold, which would fail every document with such a character
    /// as if the document were at fault. Said once in the log, with the fix.
    /// </summary>
    private async Task CheckEncodingAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT current_database(), pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()",
            connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (database, encoding) = (reader.GetString(0), reader.GetString(1));
        if (encoding == "UTF8")
        {
            return;
        }

        var problem = $"PostgreSQL database \"{database}\" has the encoding {encoding}, but the store needs UTF8 to hold "
            + "text in every language. Create the database with ENCODING 'UTF8' (CREATE DATABASE name ENCODING 'UTF8' "
            + "TEMPLATE template0), or point Storage__PostgresConnectionString at one; documents wait until then.";
        if (Interlocked.Exchange(ref _misconfigurationLogged, 1) == 0)
        {
            _logger.LogError("{Problem}", problem);
        }

        throw new DatabaseMisconfiguredException(problem);
    }

    /// <inheritdoc />
    public async Task<bool> UpsertAsync(ProcessedDocument document, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(document);
        return (await UpsertManyAsync([document], ct)).Count == 1;
    }

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> UpsertManyAsync(IReadOnlyList<ProcessedDocument> documents, CancellationToken ct)
    {
        var batch = DocumentRows.Prepare(documents);
        if (batch.Count == 0)
        {
            return new HashSet<string>();
        }

        await InitializeAsync(ct);
        return await _pipeline.ExecuteAsync(token => WriteAsync(batch, token), ct);
    }

    private async ValueTask<IReadOnlySet<string>> WriteAsync(List<ProcessedDocument> batch, CancellationToken ct)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var commands = new NpgsqlBatch(connection, transaction);

        foreach (var document in batch)
        {
            commands.BatchCommands.Add(UpsertCommand(document, now));
        }

        var ids = batch.Select(d => d.DocumentId).ToArray();
        commands.BatchCommands.Add(WithParameters(DeleteEntitiesSql, Parameter(ids)));
        commands.BatchCommands.Add(WithParameters(DeleteKeywordsSql, Parameter(ids)));

        var entityCount = batch.Sum(d => DocumentRows.Entities(d).Count);
        if (entityCount > 0)
        {
            var documentIds = new string[entityCount];
            var ordinals = new int[entityCount];
            var types = new string[entityCount];
            var names = new string[entityCount];
            var texts = new string[entityCount];
            var starts = new int[entityCount];
            var ends = new int[entityCount];
            var canonicals = new string?[entityCount];
            var roles = new string?[entityCount];
            var row = 0;
            foreach (var document in batch)
            {
                var entities = DocumentRows.Entities(document);
                for (var i = 0; i < entities.Count; i++, row++)
                {
                    var mention = entities[i];
                    documentIds[row] = document.DocumentId;
                    ordinals[row] = i;
                    types[row] = mention.Type;
                    names[row] = DocumentRows.EntityName(mention);
                    texts[row] = mention.Text;
                    starts[row] = mention.Start;
                    ends[row] = mention.End;
                    canonicals[row] = mention.Canonical;
                    roles[row] = StorageJson.Roles(mention.Roles);
                }
            }

            commands.BatchCommands.Add(WithParameters(
                InsertEntitiesSql,
                Parameter(documentIds),
                Parameter(ordinals),
                Parameter(types),
                Parameter(names),
                Parameter(texts),
                Parameter(starts),
                Parameter(ends),
                Parameter(canonicals),
                Parameter(roles)));
        }

        var keywordCount = batch.Sum(d => DocumentRows.Keywords(d).Count);
        if (keywordCount > 0)
        {
            var documentIds = new string[keywordCount];
            var ordinals = new int[keywordCount];
            var keywords = new string[keywordCount];
            var row = 0;
            foreach (var document in batch)
            {
                var documentKeywords = DocumentRows.Keywords(document);
                for (var i = 0; i < documentKeywords.Count; i++, row++)
                {
                    documentIds[row] = document.DocumentId;
                    ordinals[row] = i;
                    keywords[row] = documentKeywords[i];
                }
            }

            commands.BatchCommands.Add(WithParameters(
                InsertKeywordsSql, Parameter(documentIds), Parameter(ordinals), Parameter(keywords)));
        }

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await commands.ExecuteReaderAsync(ct))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (await reader.ReadAsync(ct) && reader.GetBoolean(0))
                {
                    inserted.Add(batch[i].DocumentId);
                }

                await reader.NextResultAsync(ct);
            }

            // Run through the deletes and inserts so that an error in one of them surfaces here.
            while (await reader.NextResultAsync(ct))
            {
            }
        }

        await transaction.CommitAsync(ct);
        return inserted;
    }

    private static NpgsqlBatchCommand UpsertCommand(ProcessedDocument document, DateTime now)
    {
        var article = document.Article;
        var analysis = document.Analysis;
        var dateline = analysis.Dateline;
        var command = new NpgsqlBatchCommand(UpsertSql);
        var p = command.Parameters;
        p.Add(Parameter(document.DocumentId));
        p.Add(Parameter(document.FileName ?? string.Empty));
        p.Add(Parameter(article.Title ?? string.Empty));
        p.Add(Parameter(article.Text ?? string.Empty));
        p.Add(NullableText(article.Language));
        p.Add(Parameter(article.Format ?? string.Empty));
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = StorageJson.Metadata(article.Metadata) });
        p.Add(NullableText(analysis.PublishedOn));
        p.Add(NullableText(dateline?.Date));
        p.Add(NullableText(dateline?.Place));
        p.Add(NullableText(dateline?.Agency));
        p.Add(NullableInteger(dateline?.Start));
        p.Add(NullableInteger(dateline?.End));
        p.Add(Parameter(analysis.Summary ?? string.Empty));
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = document.Content ?? [] });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = document.IngestedAt.UtcDateTime });
        p.Add(new NpgsqlParameter<DateTime> { TypedValue = now });
        p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)StorageJson.Mentions(analysis.TitleEntities) ?? DBNull.Value });
        return command;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int limit, CancellationToken ct) =>
        DocumentRows.SearchTextAsync(this, query, limit, ct);

    /// <inheritdoc />
    public async Task<StoredDocument?> GetAsync(string documentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        await InitializeAsync(ct);
        return await _pipeline.ExecuteAsync<StoredDocument?>(
            async token =>
            {
                // One snapshot for the document and its rows, in one round trip.
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, token);
                await using var batch = new NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(WithParameters(GetEntitiesSql, Parameter(documentId)));
                batch.BatchCommands.Add(WithParameters(GetKeywordsSql, Parameter(documentId)));
                batch.BatchCommands.Add(WithParameters(GetSql, Parameter(documentId)));
                await using var reader = await batch.ExecuteReaderAsync(token);
                return await StoredRows.ReadDocumentAsync(reader, (row, ordinal) => row.GetFieldValue<DateTimeOffset>(ordinal), token);
            },
            ct);
    }

    /// <inheritdoc />
    public async Task<string?> FindTitleAsync(string documentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        await InitializeAsync(ct);
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                await using var command = _dataSource.CreateCommand("SELECT title FROM documents WHERE document_id = $1");
                command.Parameters.AddWithValue(documentId);
                return await command.ExecuteScalarAsync(token) as string;
            },
            ct);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken ct)
    {
        await InitializeAsync(ct);
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                await using var command = _dataSource.CreateCommand("SELECT count(*) FROM documents");
                return (long)(await command.ExecuteScalarAsync(token))!;
            },
            ct);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _initializeLock.Dispose();
    }

    /// <summary>For containers and callers that dispose synchronously.</summary>
    public void Dispose()
    {
        _dataSource.Dispose();
        _initializeLock.Dispose();
    }

    private void OnTransientFailure(Exception error)
    {
        // After a restart every idle pooled connection is dead: drop them rather than fail on each in turn.
        if (StorageResilience.IsConnectionFailure(error))
        {
            _dataSource.Clear();
        }
    }

    private static NpgsqlBatchCommand WithParameters(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter<T> Parameter<T>(T value) => new() { TypedValue = value };

    private static NpgsqlParameter NullableText(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter NullableInteger(int? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = (object?)value ?? DBNull.Value };
}
