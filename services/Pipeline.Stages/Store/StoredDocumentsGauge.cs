using Microsoft.Extensions.Hosting;
using Pipeline.Hosting;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

/// <summary>
/// Counts the stored documents every few seconds for the gauge <c>pipeline.store.documents</c>: the one figure that
/// equals the store's count whatever happened (counters restart with their process, and count redeliveries).
/// </summary>
public sealed class StoredDocumentsGauge(IDocumentStore store, TimeProvider clock) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                PipelineTelemetry.RecordStoredDocuments(await store.CountAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database is away: the gauge keeps its last figure; the readiness check reports the outage.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
