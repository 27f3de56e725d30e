using Microsoft.Data.Sqlite;
using Pipeline.Relating;

namespace Pipeline.Storage.Tests;

/// <summary>The store contract on real SQLite files, one folder per test.</summary>
public sealed class SqliteDocumentStoreTests : DocumentStoreTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pipeline-storage-").FullName;

    protected override Task<string> NewDatabaseAsync() =>
        Task.FromResult(Path.Combine(_folder, Guid.NewGuid().ToString("N"), "pipeline.db"));

    protected override IDocumentStore Open(string location, StorageResilienceOptions? resilience = null) =>
        new SqliteDocumentStore(location, resilience);

    protected override async Task<long> CountRowsAsync(string table)
    {
        await using var connection = await OpenWithIndexAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = CountRowsSql(table);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_and_its_folder_is_created()
    {
        Assert.True(File.Exists(Location));
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task The_relaters_index_is_a_file_of_its_own_and_an_older_files_index_moves_there()
    {
        var decision = await StoredDecisionAsync();
        await Store.RelateAsync(
            async (index, ct) =>
            {
                await index.WriteAsync(new ArchiveChanges([new ArchiveRecord("story", "s1", "{}")], [new ArchivePosting("w:rice", "d1")]), ct);
                return decision;
            },
            Ct);
        var indexPath = ((SqliteDocumentStore)Store).IndexPath;
        Assert.Equal(Path.Combine(Path.GetDirectoryName(Location)!, "pipeline.relate.db"), indexPath);

        // A file as an earlier version left it: schema version 2, the index in the main file.
        await using (var connection = await OpenWithIndexAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                CREATE TABLE main.archive_records (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
                CREATE TABLE main.archive_postings (seq INTEGER PRIMARY KEY, key TEXT NOT NULL, id TEXT NOT NULL, UNIQUE (key, id));
                INSERT INTO main.archive_records VALUES ('story', 's2', '{"v":2}');
                INSERT INTO main.archive_postings (seq, key, id) VALUES (100, 'w:rice', 'd2');
                PRAGMA main.user_version = 2;
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }

        await using var reopened = new SqliteDocumentStore(Location);
        await reopened.RelateAsync(
            async (index, ct) =>
            {
                Assert.Equal(["s1", "s2"], (await index.ReadAsync("story", ["s1", "s2"], ct)).Keys.Order());
                Assert.Equal(["d1", "d2"], (await index.FindAsync(["w:rice"], 10, ct))["w:rice"]);
                return decision;
            },
            Ct);
        await using var check = await OpenWithIndexAsync();
        await using var tables = check.CreateCommand();
        tables.CommandText = "SELECT count(*) FROM main.sqlite_schema WHERE name IN ('archive_records', 'archive_postings')";
        Assert.Equal(0L, await tables.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task The_full_text_index_stays_consistent_with_the_documents()
    {
        var document = TestDocuments.Full();
        await Store.UpsertAsync(document, Ct);
        await Store.UpsertAsync(document with { Article = document.Article with { Title = "Another title" } }, Ct);

        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)";
        await command.ExecuteNonQueryAsync(Ct); // throws SQLITE_CORRUPT_VTAB when the index and the table differ
    }

    [Fact]
    public async Task A_writer_holding_the_lock_only_delays_the_store()
    {
        await using var connection = await OpenAsync();
        await using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: holds the write lock
        var upsert = Store.UpsertAsync(TestDocuments.Full(), Ct);
        await Task.Delay(300, Ct);
        Assert.False(upsert.IsCompleted);

        await transaction.RollbackAsync(Ct);

        Assert.True(await upsert.WaitAsync(TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task A_cancelled_token_interrupts_the_running_statement()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"; // endless
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var interrupt = SqliteDocumentStore.InterruptOnCancel(connection, cancel.Token);

        var error = await Assert.ThrowsAsync<SqliteException>(() => Task.Run(() => command.ExecuteScalar(), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct));

        Assert.Equal(9, error.SqliteErrorCode); // SQLITE_INTERRUPT
    }

    /// <summary>A connection of its own to the store's file (not pooled, so that it holds nothing open after the test).</summary>
    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Location, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return connection;
    }

    /// <summary>A connection to the store's file with the relater's index file attached, as the store attaches it.</summary>
    private async Task<SqliteConnection> OpenWithIndexAsync()
    {
        var connection = await OpenAsync();
        await using var attach = connection.CreateCommand();
        attach.CommandText = "ATTACH DATABASE $path AS relate";
        attach.Parameters.AddWithValue("$path", ((SqliteDocumentStore)Store).IndexPath);
        await attach.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
