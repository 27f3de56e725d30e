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
        await using var command = dataSource.CreateCommand(table switch
        {
            "documents" => "SELECT count(*) FROM documents",
            "entities" => "SELECT count(*) FROM entities",
            "keywords" => "SELECT count(*) FROM keywords",
            _ => throw new ArgumentOutOfRangeException(nameof(table)),
        });
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
        await using (var command = dataSource.CreateCommand("SELECT count(*) FROM schema_migrations"))
        {
            Assert.Equal(1L, await command.ExecuteScalarAsync(Ct));
        }
    }
}
