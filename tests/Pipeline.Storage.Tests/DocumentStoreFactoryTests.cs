using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage.Tests;

public class DocumentStoreFactoryTests
{
    [Fact]
    public async Task Without_a_postgres_connection_string_the_store_is_sqlite_at_the_configured_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "pipeline-storage-" + Guid.NewGuid().ToString("N"), "docs.db");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:SqlitePath"] = path,
                ["Storage:Resilience:MaxRetryAttempts"] = "2",
                ["Storage:Resilience:CircuitBreakDuration"] = "00:00:05",
            })
            .Build();
        var services = new ServiceCollection().AddLogging().AddDocumentStore(configuration);

        await using (var provider = services.BuildServiceProvider())
        {
            var store = Assert.IsType<SqliteDocumentStore>(provider.GetRequiredService<IDocumentStore>());
            Assert.Equal(path, store.DatabasePath);
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            Assert.Equal(2, options.Resilience.MaxRetryAttempts);
            Assert.Equal(TimeSpan.FromSeconds(5), options.Resilience.CircuitBreakDuration);
            Assert.Same(store, provider.GetRequiredService<IDocumentStore>());
            Assert.True(await store.UpsertAsync(TestDocuments.Full(), CancellationToken.None));
        }

        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public async Task With_a_postgres_connection_string_the_store_is_postgres()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:PostgresConnectionString"] = "Host=127.0.0.1;Port=1;Username=x;Database=y",
            })
            .Build();
        await using var provider = new ServiceCollection().AddDocumentStore(configuration).BuildServiceProvider();

        Assert.IsType<PostgresDocumentStore>(provider.GetRequiredService<IDocumentStore>());
    }

    [Fact]
    public async Task The_factory_defaults_to_sqlite()
    {
        await using var store = DocumentStoreFactory.Create(new StorageOptions());
        Assert.Equal(Path.GetFullPath("data/pipeline.db"), Assert.IsType<SqliteDocumentStore>(store).DatabasePath);
    }
}
