using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Storage;

namespace Pipeline.ReadSide;

/// <summary>A queue: messages waiting (or, on the in-memory bus, in flight) and consumers (null when unknown).</summary>
public sealed record QueueView(string Name, long Messages, long? Consumers);

/// <param name="Queue">The stage's input queue (ingest has none: its input is the drop folder).</param>
/// <param name="ErrorQueue">Where the stage's given-up messages wait.</param>
public sealed record StageView(string Name, long Received, long Done, long Failed, long InFlight, QueueView? Queue, QueueView? ErrorQueue);

/// <param name="Transport">rabbitmq or in-memory.</param>
/// <param name="QueueSource">rabbitmq-management (the broker's own figures) or monitor (counted by this process).</param>
/// <param name="Since">When this process began counting.</param>
/// <param name="Documents">Documents in the store.</param>
/// <param name="QueueWarning">
/// Why the queue figures are partial, when they are: on RabbitMQ without an answer from its management API, they are
/// what this process saw since it started, and the broker's queues (error queues too) may hold more. Null otherwise.
/// </param>
public sealed record PipelineResponse(
    string Transport,
    string QueueSource,
    DateTimeOffset Since,
    long Documents,
    IReadOnlyList<StageView> Stages,
    int ThroughputBucketSeconds,
    IReadOnlyList<ThroughputPoint> Throughput,
    IReadOnlyList<FailureInfo> RecentFailures,
    string? QueueWarning = null);

internal static class PipelineEndpoints
{
    public static async Task<Ok<PipelineResponse>> GetAsync(
        PipelineMonitor monitor, QueueStatistics queues, IDocumentStore store, IOptions<MessagingOptions> messaging, CancellationToken ct)
    {
        var documents = await store.CountAsync(ct);
        var broker = await queues.GetAsync(ct);
        var stages = new List<StageView>();
        foreach (var stage in PipelineMonitor.Stages)
        {
            var counts = monitor.Counts(stage);
            QueueView? queue = null;
            QueueView? errors = null;
            if (stage != StageNames.Ingest)
            {
                var name = StageQueues.Of(stage);
                var errorName = StageQueues.ErrorOf(stage);
                if (broker is not null)
                {
                    queue = broker.TryGetValue(name, out var q) ? new QueueView(name, q.Messages, q.Consumers) : new QueueView(name, 0, 0);
                    errors = broker.TryGetValue(errorName, out var e) ? new QueueView(errorName, e.Messages, e.Consumers) : new QueueView(errorName, 0, 0);
                }
                else
                {
                    queue = new QueueView(name, counts.InFlight, null);
                    errors = new QueueView(errorName, counts.Failed, null);
                }
            }

            stages.Add(new StageView(stage, counts.Received, counts.Done, counts.Failed, counts.InFlight, queue, errors));
        }

        return TypedResults.Ok(new PipelineResponse(
            messaging.Value.UsesRabbitMq ? "rabbitmq" : "in-memory",
            broker is not null ? "rabbitmq-management" : "monitor",
            monitor.Since,
            documents,
            stages,
            PipelineMonitor.BucketSeconds,
            monitor.Throughput(),
            monitor.RecentFailures(),
            QueueStatistics.PartialWarning(messaging.Value.UsesRabbitMq, queues.FromBroker, broker is not null)));
    }
}
