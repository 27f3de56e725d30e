using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

/// <summary>
/// Creates or migrates the schema at start, so a broken database shows early. A database that is away when
/// the store starts must not stop the process: it keeps trying with back-off (the readiness check says not
/// ready meanwhile), and the store's own calls create the schema on first use as well.
/// </summary>
public sealed class DocumentStoreInitializer(IDocumentStore store, ILogger<DocumentStoreInitializer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = delay * 2 < MaxDelay ? delay * 2 : MaxDelay)
        {
            try
            {
                await store.InitializeAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A misconfigured database was reported once by the store, with its fix: no warning every 30 s.
                if (ex is not DatabaseMisconfiguredException)
                {
                    logger.LogWarning(ex, "Database not ready; trying again in {Delay}", delay);
                }

                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
