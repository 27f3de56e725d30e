using System.Text;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Pipeline.Contracts;
using Pipeline.Stages;
using Pipeline.Storage;
using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The store stage on a PostgreSQL database that is not UTF-8: not ready, and its documents wait as in an outage
/// instead of going to the error queue.
/// </summary>
[Trait("Category", "Servers")]
public sealed class MisconfiguredDatabaseTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private const string Text = "Hà Nội (VNA) – Prime Minister Phạm Minh Chính met delegates from Cần Thơ on Monday "
        + "to discuss rice exports and new river ports in the Mekong Delta.";

    [Fact]
    public async Task The_store_is_not_ready_on_a_database_that_is_not_utf8()
    {
        await using var misconfigured = new PostgresDocumentStore(await server.CreateDatabaseAsync("SQL_ASCII"));
        await using var utf8 = new PostgresDocumentStore(await server.CreateDatabaseAsync("UTF8"));

        var notReady = await new DocumentStoreHealthCheck(misconfigured).CheckHealthAsync(new HealthCheckContext());
        var ready = await new DocumentStoreHealthCheck(utf8).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, notReady.Status);
        Assert.Contains("ENCODING 'UTF8'", notReady.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, ready.Status);
    }

    [Fact]
    public async Task A_document_waits_for_the_fix_without_a_fault_and_is_stored_after_it()
    {
        // SQL_ASCII takes UTF-8 text as it comes, but not JSON with non-ASCII characters (the metadata's authors).
        var database = await server.CreateDatabaseAsync("SQL_ASCII");
        using var host = await StageConsumerTests.StartAsync(
            [PipelineStages.Store], builder => builder.Configuration["Storage:PostgresConnectionString"] = database);
        var harness = host.Services.GetTestHarness();
        var content = Encoding.UTF8.GetBytes("Mekong talks\n\n" + Text);

        await harness.Bus.Publish(new DocumentExtracted(
            DocumentId.FromContent(content),
            "mekong.txt",
            await host.Services.GetRequiredService<IMessageDataRepository>().PutBytes(content),
            DateTimeOffset.UtcNow,
            new CleanedArticle("Mekong talks", Text, "en", "text", new ArticleMetadata(Authors: ["Nguyễn Văn A"])),
            new DocumentAnalysis(null, null, [new EntityMention(EntityTypes.Location, "Hà Nội", 0, 6)], ["rice"], Text)));

        // Longer than the ordinary in-process retries (0.2 + 1 + 5 s): an ordinary failure would have used them up.
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Empty(harness.Published.Select<Fault<DocumentExtracted>>());

        await FixEncodingAsync(database);
        // The harness stops waiting once the bus has been quiet for a while, so poll; outage tries are up to 30 s apart.
        for (var tries = 0; tries < 450 && !harness.Published.Select<DocumentStored>().Any(); tries++)
        {
            await Task.Delay(100);
        }

        Assert.Single(harness.Published.Select<DocumentStored>());
        Assert.Empty(harness.Published.Select<Fault<DocumentExtracted>>());
        // One delivery that waited, not one that failed and was redelivered.
        Assert.Null(Assert.Single(harness.Consumed.Select<DocumentExtracted>()).Exception);
    }

    /// <summary>
    /// What an operator's fix amounts to: the database is UTF-8 from now on, and the connections made before are gone
    /// (as after recreating the database or restarting the server).
    /// </summary>
    private async Task FixEncodingAsync(string database)
    {
        await using var connection = new NpgsqlConnection(server.ServerConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
        {
            "UPDATE pg_database SET encoding = pg_char_to_encoding('UTF8') WHERE datname = $1",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = new NpgsqlConnectionStringBuilder(database).Database });
            await command.ExecuteNonQueryAsync();
        }
    }
}
