using System.Diagnostics;
using Npgsql;
using Pipeline.Testing;
using Polly.CircuitBreaker;

namespace Pipeline.Storage.Tests;

/// <summary>
/// Connection loss, on a real PostgreSQL seen through a <see cref="TcpFaultProxy"/>: stopping the proxy resets
/// the store's connections and refuses new ones exactly as a stopped server does, without stopping the server
/// that other test classes and test assemblies share.
/// </summary>
[Trait("Category", "Servers")]
public sealed class PostgresConnectionLossTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static StorageResilienceOptions Patient => new()
    {
        MaxRetryAttempts = 40,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        AttemptTimeout = TimeSpan.FromSeconds(10),
        CircuitMinimumThroughput = 1000,
    };

    [Fact]
    public async Task Writes_wait_out_a_server_that_goes_away_and_comes_back()
    {
        await using var proxy = StartProxy();
        await using var store = new PostgresDocumentStore(await NewDatabaseThroughAsync(proxy), Patient);
        Assert.True(await store.UpsertAsync(TestDocuments.Create("Before", "Written before the outage."), CancellationToken.None));

        proxy.Stop();
        var during = store.UpsertAsync(TestDocuments.Create("During", "Written during the outage."), CancellationToken.None);
        await Task.Delay(1500);
        Assert.False(during.IsCompleted, "the write should be retrying while the server is away");
        proxy.Resume();

        Assert.True(await during.WaitAsync(Patience));
        Assert.Equal(2, await store.CountAsync(CancellationToken.None));
        Assert.Single(await store.SearchAsync("outage during", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Pooled_connections_lost_while_idle_are_replaced()
    {
        await using var proxy = StartProxy();
        await using var store = new PostgresDocumentStore(await NewDatabaseThroughAsync(proxy), Patient);
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => store.CountAsync(CancellationToken.None)));

        proxy.Stop(); // every pooled connection is reset
        proxy.Resume();

        Assert.Equal(0, await store.CountAsync(CancellationToken.None).WaitAsync(Patience));
        Assert.True(await store.UpsertAsync(TestDocuments.Full(), CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task Connections_the_server_terminates_are_replaced()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var store = new PostgresDocumentStore(connectionString, Patient);
        Assert.True(await store.UpsertAsync(TestDocuments.Full(), CancellationToken.None));

        await using (var admin = NpgsqlDataSource.Create(connectionString))
        await using (var kill = admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        {
            Assert.True((long)(await kill.ExecuteScalarAsync())! >= 1);
        }

        Assert.Equal(1, await store.CountAsync(CancellationToken.None).WaitAsync(Patience));
    }

    [Fact]
    public async Task The_circuit_opens_on_a_dead_server_and_stops_calling_it()
    {
        await using var proxy = StartProxy();
        await using var store = new PostgresDocumentStore(
            await NewDatabaseThroughAsync(proxy),
            new StorageResilienceOptions
            {
                MaxRetryAttempts = 1,
                RetryBaseDelay = TimeSpan.FromMilliseconds(10),
                CircuitFailureRatio = 0.5,
                CircuitMinimumThroughput = 2,
                CircuitSamplingDuration = TimeSpan.FromSeconds(30),
                CircuitBreakDuration = TimeSpan.FromSeconds(30),
            });
        await store.InitializeAsync(CancellationToken.None);
        proxy.Stop();

        Exception? error = null;
        for (var call = 0; call < 5 && error is not BrokenCircuitException; call++)
        {
            error = await Record.ExceptionAsync(() => store.CountAsync(CancellationToken.None));
            Assert.NotNull(error);
            Assert.True(StorageResilience.IsUnavailable(error), error.ToString());
        }

        Assert.IsType<BrokenCircuitException>(error);

        // With the server back, the open circuit still fails calls at once, without connecting.
        proxy.Resume();
        var accepted = proxy.AcceptedConnections;
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<BrokenCircuitException>(() => store.CountAsync(CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
        Assert.Equal(accepted, proxy.AcceptedConnections);
    }

    private TcpFaultProxy StartProxy()
    {
        var target = new NpgsqlConnectionStringBuilder(server.ConnectionString);
        return TcpFaultProxy.Start(target.Host!, target.Port);
    }

    /// <summary>A new, empty database, reached through the proxy.</summary>
    private async Task<string> NewDatabaseThroughAsync(TcpFaultProxy proxy) =>
        new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync())
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            Timeout = 3,
        }.ConnectionString;
}
