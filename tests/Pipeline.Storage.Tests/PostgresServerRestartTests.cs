using Pipeline.Testing;

namespace Pipeline.Storage.Tests;

/// <summary>
/// A real server restart (<c>pg_ctl -m fast stop</c>, then start) under a store that is in use. The server is the
/// class's own, so stopping it disturbs no other test.
/// </summary>
[Trait("Category", "Servers")]
public sealed class PostgresServerRestartTests(RestartablePostgresServer server) : IClassFixture<RestartablePostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static StorageResilienceOptions Patient => new()
    {
        MaxRetryAttempts = 60,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        CircuitMinimumThroughput = 1000,
    };

    [Fact]
    public async Task Writes_and_searches_wait_out_a_restart()
    {
        await using var store = new PostgresDocumentStore(await server.CreateDatabaseAsync(), Patient);
        var before = TestDocuments.Create("Before restart", "Stored before the server restarted.");
        Assert.True(await store.UpsertAsync(before, CancellationToken.None));
        await store.SearchAsync("restarted", 10, CancellationToken.None); // more pooled connections, all to die

        await server.StopAsync();
        var during = store.UpsertAsync(TestDocuments.Create("During restart", "Sent while the server was down."), CancellationToken.None);
        var search = store.SearchAsync("server", 10, CancellationToken.None);
        await Task.Delay(1500);
        Assert.False(during.IsCompleted, "the write should be retrying while the server is down");
        await server.StartAsync();

        Assert.True(await during.WaitAsync(Patience));
        await search.WaitAsync(Patience);
        Assert.False(await store.UpsertAsync(before, CancellationToken.None));
        Assert.Equal(2, (await store.SearchAsync("server", 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_store_started_before_the_server_initializes_once_it_is_up()
    {
        var database = await server.CreateDatabaseAsync();
        await server.StopAsync();
        try
        {
            await using var store = new PostgresDocumentStore(database, Patient);
            var initialize = store.InitializeAsync(CancellationToken.None);
            await Task.Delay(1000);
            Assert.False(initialize.IsCompleted);
            await server.StartAsync();

            await initialize.WaitAsync(Patience);
            Assert.True(await store.UpsertAsync(TestDocuments.Full(), CancellationToken.None));
            Assert.NotNull(await store.GetAsync(TestDocuments.Full().DocumentId, CancellationToken.None));
        }
        finally
        {
            await EnsureRunningAsync();
        }
    }

    private async Task EnsureRunningAsync()
    {
        try
        {
            await server.StartAsync();
        }
        catch (InvalidOperationException)
        {
            // Already running.
        }
    }
}
