using Microsoft.Extensions.Diagnostics.HealthChecks;
namespace Pipeline.Storage;

/// <summary>Ready only while the database answers a query (and is set up to store documents).</summary>
public sealed class DocumentStoreHealthCheck(IDocumentStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"database not ready: {ex.Message}", ex);
        }
    }
}
