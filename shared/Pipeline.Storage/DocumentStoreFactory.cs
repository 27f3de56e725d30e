using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Pipeline.Storage;

/// <summary>Picks the store the options ask for.</summary>
public static class DocumentStoreFactory
{
    /// <summary>
    /// A <see cref="PostgresDocumentStore"/> when <see cref="StorageOptions.PostgresConnectionString"/> is set,
    /// otherwise a <see cref="SqliteDocumentStore"/> on <see cref="StorageOptions.SqlitePath"/>. The schema is
    /// created on first use, or by <see cref="IDocumentStore.InitializeAsync"/>.
    /// </summary>
    public static IDocumentStore Create(StorageOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = loggerFactory?.CreateLogger(typeof(DocumentStoreFactory));
        if (!string.IsNullOrWhiteSpace(options.PostgresConnectionString))
        {
            logger?.LogInformation("Documents are stored in PostgreSQL");
            return new PostgresDocumentStore(options.PostgresConnectionString, options.Resilience, loggerFactory);
        }

        var store = new SqliteDocumentStore(options.SqlitePath, options.Resilience, loggerFactory);
        logger?.LogInformation("Documents are stored in SQLite at {Path}", store.DatabasePath);
        return store;
    }
}

/// <summary>Registers the document store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> to the <c>Storage</c> section of <paramref name="configuration"/> and
    /// registers one <see cref="IDocumentStore"/> for the process, with the <see cref="DocumentBatchWriter"/> that
    /// gathers its writes (both disposed with the container).
    /// </summary>
    public static IServiceCollection AddDocumentStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName));
        services.TryAddSingleton(sp => DocumentStoreFactory.Create(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new DocumentBatchWriter(
            sp.GetRequiredService<IDocumentStore>(),
            sp.GetRequiredService<IOptions<StorageOptions>>().Value.Batch));
        return services;
    }
}
