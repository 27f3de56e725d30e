using Npgsql;
using Pipeline.Testing;

namespace Pipeline.Storage.Tests;

/// <summary>The store contract on a real PostgreSQL, a new database per test.</summary>
[Trait("Category", "Servers")]
public sealed class PostgresDocumentStoreTests(PostgresServer server) : DocumentStoreTests, IClassFixture<PostgresServer>
{
    protected override Task<string> NewDatabaseAsync() => server.CreateDatabaseAsync();

    protected override IDocumentStore Open(string location, StorageResilienceOptions? resilience = null) =>
        new PostgresDocumentStore(location, resilience);

    protected override async Task<long> CountRowsAsync(string table)
    {
        await using var dataSource = NpgsqlDataSource.Create(Location);
        await using var command = dataSource.CreateCommand(CountRowsSql(table));
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task Search_uses_the_gin_index_and_migrations_are_recorded_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(Location);
        await using (var command = dataSource.CreateCommand(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'documents' AND indexname = 'ix_documents_search'"))
        {
            Assert.Contains("USING gin (search)", (string)(await command.ExecuteScalarAsync(Ct))!, StringComparison.Ordinal);
        }

        await OpenStore().InitializeAsync(Ct);
        await using (var command = dataSource.CreateCommand("SELECT count(*), max(version) FROM schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync(Ct))
        {
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal((2L, 2), (reader.GetInt64(0), reader.GetInt32(1)));
        }
    }
}
