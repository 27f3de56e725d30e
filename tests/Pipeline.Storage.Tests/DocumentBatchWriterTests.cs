using Microsoft.Data.Sqlite;

namespace Pipeline.Storage.Tests;

/// <summary>Group commit on a real SQLite file: shared transactions, one outcome per caller, a bad document failing alone.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public sealed class DocumentBatchWriterTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("pipeline-batch-").FullName, "pipeline.db");
    private readonly SqliteDocumentStore _store;
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    public DocumentBatchWriterTests() =>
        _store = new SqliteDocumentStore(_path, timeProvider: new TickingClock());

    private CancellationToken Ct => _timeout.Token;

    [Fact]
    public async Task Concurrent_writes_share_transactions_and_each_caller_learns_whether_its_document_is_new()
    {
        await using var writer = new DocumentBatchWriter(_store, new StorageBatchOptions { MaxDocuments = 16, MaxWait = TimeSpan.FromMilliseconds(200) });
        var documents = Enumerable.Range(0, 64).Select(i => TestDocuments.Create($"Story {i}", $"The text of story {i}.")).ToList();

        Assert.All(await Task.WhenAll(documents.Select(d => writer.WriteAsync(d, Ct))), Assert.True);
        Assert.All(await Task.WhenAll(documents.Take(8).Select(d => writer.WriteAsync(d, Ct))), Assert.False);

        Assert.Equal(64, await _store.CountAsync(Ct));
        // The clock moves on at every read and each transaction reads it once: distinct times are transactions.
        Assert.InRange(await DistinctStoredTimesAsync(), 4, 16);
    }

    [Fact]
    public async Task A_document_the_store_refuses_fails_alone_and_the_rest_of_its_batch_is_stored()
    {
        await using var writer = new DocumentBatchWriter(_store, new StorageBatchOptions { MaxDocuments = 8, MaxWait = TimeSpan.FromSeconds(1) });
        var good = Enumerable.Range(0, 7).Select(i => TestDocuments.Create($"Good {i}", $"Good text {i}.")).ToList();
        var bad = TestDocuments.Create("Bad", "No id.") with { DocumentId = " " };

        var goodWrites = good.Take(3).Select(d => writer.WriteAsync(d, Ct)).ToList();
        var badWrite = writer.WriteAsync(bad, Ct);
        goodWrites.AddRange(good.Skip(3).Select(d => writer.WriteAsync(d, Ct)));

        await Assert.ThrowsAsync<ArgumentException>(() => badWrite);
        Assert.All(await Task.WhenAll(goodWrites), Assert.True);
        Assert.Equal(7, await _store.CountAsync(Ct));
    }

    [Fact]
    public async Task Disposing_writes_what_is_waiting_and_then_refuses_more()
    {
        var writer = new DocumentBatchWriter(_store, new StorageBatchOptions { MaxWait = TimeSpan.FromSeconds(5) });
        var write = writer.WriteAsync(TestDocuments.Create("Last one", "Written on the way out."), Ct);

        await writer.DisposeAsync();

        // Stored by the time disposing returns. (The caller's task itself completes a moment later, on the
        // thread pool: its continuation runs asynchronously, so asking whether it is complete here would race.)
        Assert.Equal(1, await _store.CountAsync(Ct));
        Assert.True(await write);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.WriteAsync(TestDocuments.Create("Too late", "Refused."), Ct));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _timeout.Dispose();
        await _store.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    private async Task<long> DistinctStoredTimesAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(DISTINCT stored_at) FROM documents";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>A clock one millisecond later at every reading.</summary>
    private sealed class TickingClock : TimeProvider
    {
        private long _readings;

        public override DateTimeOffset GetUtcNow() =>
            new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(Interlocked.Increment(ref _readings));
    }
}
