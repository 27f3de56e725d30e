using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Contracts;
using Polly;

namespace Pipeline.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, a pooled connection per operation, FTS5 full-text search
/// over an external-content table that triggers keep in sync within each write transaction. The relate stage's
/// index lives in a second file beside it (<see cref="IndexPath"/>), attached to the connections that decide.
/// </summary>
public sealed partial class SqliteDocumentStore : IDocumentStore, IDisposable
{
    private const int BusyTimeoutMilliseconds = 5000;
    private const int SqliteInterrupt = 9;

    /// <summary>
    /// Bytes of the file read through a memory map rather than a read call per page: the relate stage reads hundreds
    /// of scattered pages per decision, and a read call for each cost about a third of its time (relate-scale --index
    /// sqlite, 2,000 documents: 15.6 ms CPU per decision without, 10.7 with). As much as SQLite's build allows
    /// (SQLITE_MAX_MMAP_SIZE, just under 2 GiB; a larger value is cut to it): a decision's cost grows with the share of
    /// the file beyond the map (30,000 documents, a 1.7 GB file: 19.7 ms with a 1 GiB map, 16.3 with this one, as at
    /// 10,000; beyond the map it grows again, since new pages are appended past it). Each file has a map of its own,
    /// so the relater's index file is mapped whatever the size of the documents' file. The mapped pages are the
    /// kernel's page cache: they count in the resident size, but the kernel can drop them.
    /// </summary>
    private const long MemoryMapBytes = 0x7fff0000;

    /// <summary>The full-text tokenizer, of the index and of the snippets' windows alike.</summary>
    private const string FtsTokenizer = "unicode61 remove_diacritics 2";

    private static readonly string[] Migrations =
    [
        $"""
        CREATE TABLE IF NOT EXISTS documents (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL UNIQUE,
            file_name TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            language TEXT,
            format TEXT NOT NULL,
            metadata TEXT NOT NULL,
            published_on TEXT,
            dateline_date TEXT,
            dateline_place TEXT,
            dateline_agency TEXT,
            dateline_start INTEGER,
            dateline_end INTEGER,
            summary TEXT NOT NULL,
            content BLOB NOT NULL,
            ingested_at TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_documents_published_on ON documents (published_on);
        CREATE INDEX IF NOT EXISTS ix_documents_dateline_place ON documents (dateline_place);

        CREATE TABLE IF NOT EXISTS entities (
            document_id TEXT NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            text TEXT NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            canonical TEXT,
            roles TEXT,
            PRIMARY KEY (document_id, ordinal)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_entities_type_name ON entities (type, name);

        CREATE TABLE IF NOT EXISTS keywords (
            document_id TEXT NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            keyword TEXT NOT NULL,
            PRIMARY KEY (document_id, ordinal)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_keywords_keyword ON keywords (keyword);

        CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5 (
            title, body, content = 'documents', content_rowid = 'id', tokenize = '{FtsTokenizer}'
        );
        CREATE TRIGGER IF NOT EXISTS documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER IF NOT EXISTS documents_fts_delete AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER IF NOT EXISTS documents_fts_update AFTER UPDATE OF title, body ON documents
        WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
            INSERT INTO documents_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        """,
        """
        ALTER TABLE documents ADD COLUMN title_entities TEXT;

        CREATE TABLE IF NOT EXISTS document_relations (
            document_id TEXT PRIMARY KEY REFERENCES documents (document_id) ON DELETE CASCADE,
            story_id TEXT NOT NULL,
            duplicate_of TEXT,
            evidence TEXT NOT NULL,
            related_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_document_relations_story ON document_relations (story_id);
        CREATE INDEX IF NOT EXISTS ix_document_relations_duplicate_of ON document_relations (duplicate_of);

        CREATE TABLE IF NOT EXISTS archive_entities (
            entity_id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            aliases TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_archive_entities_type_name ON archive_entities (type, name);

        CREATE TABLE IF NOT EXISTS entity_links (
            document_id TEXT NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
            in_title INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            entity_id TEXT NOT NULL,
            PRIMARY KEY (document_id, in_title, ordinal)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_entity_links_entity ON entity_links (entity_id);
        """,
        // Files migrated to version 2 before the relater's index moved to its own file (IndexSchemaSql) hold it
        // here; MigrateAsync copies it there first. Newer files never create these tables.
        """
        DROP TABLE IF EXISTS main.archive_postings;
        DROP TABLE IF EXISTS main.archive_records;
        """,
    ];

    /// <summary>
    /// The relater's index, in a file of its own: its pages stay inside their own memory map (SQLite maps each file
    /// up to its cap from the start, so in one shared file the relater's newest pages fell past the map once the
    /// store outgrew it), and the store's commits do not reach them. Records sit in a rowid table, so a record of a
    /// few KB fills its pages instead of spilling into overflow pages of a WITHOUT ROWID table.
    /// </summary>
    private const string IndexSchemaSql = """
        CREATE TABLE IF NOT EXISTS relate.archive_records (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            json TEXT NOT NULL,
            UNIQUE (kind, id)
        );
        CREATE TABLE IF NOT EXISTS relate.archive_postings (
            seq INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            id TEXT NOT NULL,
            UNIQUE (key, id)
        );
        CREATE INDEX IF NOT EXISTS relate.ix_archive_postings_key_seq ON archive_postings (key, seq);
        """;

    // A file from before the index moved: the copy commits before the main file drops its tables (migration 3),
    // and copies nothing twice if it runs again after a crash in between.
    private const string CopyIndexSql = """
        INSERT OR IGNORE INTO relate.archive_records (kind, id, json) SELECT kind, id, json FROM main.archive_records;
        INSERT OR IGNORE INTO relate.archive_postings (seq, key, id) SELECT seq, key, id FROM main.archive_postings;
        """;

    private const string ExistsSql = "SELECT 1 FROM documents WHERE document_id = $id";

    private const string InsertSql = """
        INSERT INTO documents (document_id, file_name, title, body, language, format, metadata, published_on,
            dateline_date, dateline_place, dateline_agency, dateline_start, dateline_end, summary, content,
            ingested_at, stored_at, updated_at, title_entities)
        VALUES ($id, $file_name, $title, $body, $language, $format, $metadata, $published_on,
            $dateline_date, $dateline_place, $dateline_agency, $dateline_start, $dateline_end, $summary, $content,
            $ingested_at, $now, $now, $title_entities)
        """;

    private const string UpdateSql = """
        UPDATE documents SET file_name = $file_name, title = $title, body = $body, language = $language,
            format = $format, metadata = $metadata, published_on = $published_on, dateline_date = $dateline_date,
            dateline_place = $dateline_place, dateline_agency = $dateline_agency, dateline_start = $dateline_start,
            dateline_end = $dateline_end, summary = $summary, content = $content, ingested_at = $ingested_at,
            updated_at = $now, title_entities = $title_entities
        WHERE document_id = $id;
        DELETE FROM entities WHERE document_id = $id;
        DELETE FROM keywords WHERE document_id = $id;
        """;

    private const string InsertEntitySql = """
        INSERT INTO entities (document_id, ordinal, type, name, text, start_offset, end_offset, canonical, roles)
        VALUES ($id, $ordinal, $type, $name, $text, $start, $end, $canonical, $roles)
        """;

    private const string InsertKeywordSql = "INSERT INTO keywords (document_id, ordinal, keyword) VALUES ($id, $ordinal, $keyword)";

    // A document's entities, keywords and row, in the order StoredRows.ReadDocumentAsync reads them.
    private const string GetSql = """
        SELECT type, text, start_offset, end_offset, canonical, roles
        FROM entities WHERE document_id = $id ORDER BY ordinal;

        SELECT keyword FROM keywords WHERE document_id = $id ORDER BY ordinal;

        SELECT document_id, file_name, title, body, language, format, metadata, published_on, dateline_date,
            dateline_place, dateline_agency, dateline_start, dateline_end, summary, content, ingested_at,
            stored_at, updated_at, title_entities
        FROM documents WHERE document_id = $id;
        """;

    private readonly string _connectionString;
    private readonly ResiliencePipeline _pipeline;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _searchTimeout;
    private readonly SemaphoreSlim _initializeLock = new(1, 1);
    private volatile bool _initialized;

    /// <param name="path">The database file; its folder is created when missing.</param>
    public SqliteDocumentStore(
        string path,
        StorageResilienceOptions? resilience = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        DatabasePath = Path.GetFullPath(path);
        IndexPath = Path.Combine(
            Path.GetDirectoryName(DatabasePath)!,
            Path.GetFileNameWithoutExtension(DatabasePath) + ".relate" + Path.GetExtension(DatabasePath));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            ForeignKeys = true,
            // Seconds Microsoft.Data.Sqlite keeps retrying a busy database before it throws (then Polly retries).
            DefaultTimeout = 10,
        }.ToString();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteDocumentStore>();
        resilience ??= new StorageResilienceOptions();
        _pipeline = StorageResilience.Create(resilience, _logger);
        _searchTimeout = resilience.SearchTimeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The full path of the relate stage's index file beside it (<c>pipeline.relate.db</c> for <c>pipeline.db</c>).</summary>
    public string IndexPath { get; }

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

            var folder = Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            await RunAsync(
                async token =>
                {
                    await MigrateAsync(token);
                    return true;
                },
                ct);
            _initialized = true;
        }
        finally
        {
            _initializeLock.Release();
        }
    }

    private async ValueTask MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using (var wal = connection.CreateCommand())
        {
            // Persistent in the file; must run outside a transaction.
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(ct);
            await AttachIndexAsync(connection, ct);
            wal.CommandText = "PRAGMA relate.journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(ct);
        }

        await using (var index = (SqliteTransaction)await connection.BeginTransactionAsync(ct))
        await using (var schema = Command(connection, index, IndexSchemaSql))
        {
            await schema.ExecuteNonQueryAsync(ct);
            schema.CommandText = "SELECT count(*) FROM main.sqlite_schema WHERE name = 'archive_records'";
            if ((long)(await schema.ExecuteScalarAsync(ct))! > 0)
            {
                schema.CommandText = CopyIndexSql;
                await schema.ExecuteNonQueryAsync(ct);
            }

            await index.CommitAsync(ct);
        }

        // BEGIN IMMEDIATE: two processes migrating at once take turns.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        for (var next = version; next < Migrations.Length; next++)
        {
            command.CommandText = Migrations[next];
            await command.ExecuteNonQueryAsync(ct);
            command.CommandText = "PRAGMA user_version = " + (next + 1).ToString(CultureInfo.InvariantCulture);
            await command.ExecuteNonQueryAsync(ct);
            _logger.LogInformation("SQLite store {Path}: schema migrated to version {Version}", DatabasePath, next + 1);
        }

        await transaction.CommitAsync(ct);
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
        return await RunAsync(token => WriteAsync(batch, token), ct);
    }

    private async ValueTask<IReadOnlySet<string>> WriteAsync(List<ProcessedDocument> batch, CancellationToken ct)
    {
        var now = Timestamp(_time.GetUtcNow());
        await using var connection = await OpenAsync(ct);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);

        await using var exists = Command(connection, transaction, ExistsSql);
        var existsId = exists.Parameters.Add("$id", SqliteType.Text);
        await using var insert = Command(connection, transaction, InsertSql);
        await using var update = Command(connection, transaction, UpdateSql);
        await using var entity = Command(connection, transaction, InsertEntitySql);
        await using var keyword = Command(connection, transaction, InsertKeywordSql);

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in batch)
        {
            existsId.Value = document.DocumentId;
            var isNew = await exists.ExecuteScalarAsync(ct) is null;
            var write = isNew ? insert : update;
            BindDocument(write, document, now);
            await write.ExecuteNonQueryAsync(ct);
            if (isNew)
            {
                inserted.Add(document.DocumentId);
            }

            var entities = DocumentRows.Entities(document);
            for (var i = 0; i < entities.Count; i++)
            {
                var mention = entities[i];
                entity.Parameters.Clear();
                entity.Parameters.AddWithValue("$id", document.DocumentId);
                entity.Parameters.AddWithValue("$ordinal", i);
                entity.Parameters.AddWithValue("$type", mention.Type);
                entity.Parameters.AddWithValue("$name", DocumentRows.EntityName(mention));
                entity.Parameters.AddWithValue("$text", mention.Text);
                entity.Parameters.AddWithValue("$start", mention.Start);
                entity.Parameters.AddWithValue("$end", mention.End);
                entity.Parameters.AddWithValue("$canonical", (object?)mention.Canonical ?? DBNull.Value);
                entity.Parameters.AddWithValue("$roles", (object?)StorageJson.Roles(mention.Roles) ?? DBNull.Value);
                await entity.ExecuteNonQueryAsync(ct);
            }

            var keywords = DocumentRows.Keywords(document);
            for (var i = 0; i < keywords.Count; i++)
            {
                keyword.Parameters.Clear();
                keyword.Parameters.AddWithValue("$id", document.DocumentId);
                keyword.Parameters.AddWithValue("$ordinal", i);
                keyword.Parameters.AddWithValue("$keyword", keywords[i]);
                await keyword.ExecuteNonQueryAsync(ct);
            }
        }

        await transaction.CommitAsync(ct);
        return inserted;
    }

    private static void BindDocument(SqliteCommand command, ProcessedDocument document, string now)
    {
        var article = document.Article;
        var analysis = document.Analysis;
        var dateline = analysis.Dateline;
        var p = command.Parameters;
        p.Clear();
        p.AddWithValue("$id", document.DocumentId);
        p.AddWithValue("$file_name", document.FileName ?? string.Empty);
        p.AddWithValue("$title", article.Title ?? string.Empty);
        p.AddWithValue("$body", article.Text ?? string.Empty);
        p.AddWithValue("$language", (object?)article.Language ?? DBNull.Value);
        p.AddWithValue("$format", article.Format ?? string.Empty);
        p.AddWithValue("$metadata", StorageJson.Metadata(article.Metadata));
        p.AddWithValue("$published_on", (object?)analysis.PublishedOn ?? DBNull.Value);
        p.AddWithValue("$dateline_date", (object?)dateline?.Date ?? DBNull.Value);
        p.AddWithValue("$dateline_place", (object?)dateline?.Place ?? DBNull.Value);
        p.AddWithValue("$dateline_agency", (object?)dateline?.Agency ?? DBNull.Value);
        p.AddWithValue("$dateline_start", (object?)dateline?.Start ?? DBNull.Value);
        p.AddWithValue("$dateline_end", (object?)dateline?.End ?? DBNull.Value);
        p.AddWithValue("$summary", analysis.Summary ?? string.Empty);
        p.Add("$content", SqliteType.Blob).Value = document.Content ?? [];
        p.AddWithValue("$ingested_at", Timestamp(document.IngestedAt));
        p.AddWithValue("$now", now);
        p.AddWithValue("$title_entities", (object?)StorageJson.Mentions(analysis.TitleEntities) ?? DBNull.Value);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SearchHit>> SearchAsync(string query, int limit, CancellationToken ct) =>
        DocumentRows.SearchTextAsync(this, query, limit, ct);

    /// <inheritdoc />
    public async Task<StoredDocument?> GetAsync(string documentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        await InitializeAsync(ct);
        return await RunAsync<StoredDocument?>(
            async token =>
            {
                await using var connection = await OpenAsync(token);
                await using var transaction = connection.BeginTransaction(deferred: true);
                await using var command = Command(connection, transaction, GetSql);
                command.Parameters.AddWithValue("$id", documentId);
                await using var reader = await command.ExecuteReaderAsync(token);
                return await StoredRows.ReadDocumentAsync(reader, (row, ordinal) => ParseTimestamp(row.GetString(ordinal)), token);
            },
            ct);
    }

    /// <inheritdoc />
    public async Task<string?> FindTitleAsync(string documentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        await InitializeAsync(ct);
        return await RunAsync(
            async token =>
            {
                await using var connection = await OpenAsync(token);
                await using var command = Command(connection, null, "SELECT title FROM documents WHERE document_id = $id");
                command.Parameters.AddWithValue("$id", documentId);
                return await command.ExecuteScalarAsync(token) as string;
            },
            ct);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken ct)
    {
        await InitializeAsync(ct);
        return await RunAsync(
            async token =>
            {
                await using var connection = await OpenAsync(token);
                await using var command = Command(connection, null, "SELECT count(*) FROM documents");
                return Convert.ToInt64(await command.ExecuteScalarAsync(token), CultureInfo.InvariantCulture);
            },
            ct);
    }

    /// <summary>Releases the pooled connections to the file (so it can be moved or deleted).</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Releases the pooled connections to the file (so it can be moved or deleted).</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initializeLock.Dispose();
        _relateGate.Dispose();
    }

    /// <summary>
    /// Runs database work under the resilience pipeline, on the thread pool: Microsoft.Data.Sqlite works
    /// synchronously (and waits out a busy database in place), which must not block the caller's thread.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<CancellationToken, ValueTask<T>> work, CancellationToken ct) =>
        await _pipeline.ExecuteAsync(token => new ValueTask<T>(Task.Run(() => CancellableAsync(work, token), token)), ct);

    private static async Task<T> CancellableAsync<T>(Func<CancellationToken, ValueTask<T>> work, CancellationToken ct)
    {
        try
        {
            return await work(ct);
        }
        catch (SqliteException error) when (error.SqliteErrorCode == SqliteInterrupt && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("The database query was interrupted: cancelled.", error, ct);
        }
    }

    /// <summary>
    /// Interrupts the connection's running statement when <paramref name="ct"/> is cancelled: Microsoft.Data.Sqlite
    /// runs a statement to its end whatever the token says (<see cref="SqliteCommand.Cancel"/> does nothing), so
    /// a search over long texts went on after its caller had gone. Dispose it before the connection.
    /// </summary>
    internal static CancellationTokenRegistration InterruptOnCancel(SqliteConnection connection, CancellationToken ct) =>
        ct.UnsafeRegister(static state => SQLitePCL.raw.sqlite3_interrupt(((SqliteConnection)state!).Handle), connection);

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = " + BusyTimeoutMilliseconds.ToString(CultureInfo.InvariantCulture)
                + "; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = " + MemoryMapBytes.ToString(CultureInfo.InvariantCulture) + ";";
            await pragma.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Attaches the index file as the schema <c>relate</c>, unless this pooled connection has it already. It takes
    /// the connection's memory map setting (<c>PRAGMA mmap_size</c> without a schema applies to later attachments).
    /// </summary>
    private async Task AttachIndexAsync(SqliteConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pragma_database_list WHERE name = 'relate'";
        if ((long)(await command.ExecuteScalarAsync(ct))! > 0)
        {
            return;
        }

        command.CommandText = "ATTACH DATABASE $path AS relate";
        command.Parameters.AddWithValue("$path", IndexPath);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    // UTC, fixed width, so that text order is time order.
    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTimestamp(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
