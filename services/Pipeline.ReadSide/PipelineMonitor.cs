using System.Collections.Concurrent;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting;

namespace Pipeline.ReadSide;

/// <summary>
/// Per-stage counts as this process sees them on the bus, since it started: every stage's output event is the
/// next stage's input, so <c>DocumentIngested</c> is ingest's "done" and clean's "received", and so on; a
/// <c>Fault&lt;T&gt;</c> (a message that ran out of retries) or a <c>DocumentFailed</c> is a failure of the
/// stage that consumes or publishes it. Also keeps the last failures and stored documents per 10 seconds.
/// </summary>
public sealed class PipelineMonitor(TimeProvider clock) : IInFlightDocuments
{
    public const int BucketSeconds = 10;
    public const int Buckets = 60; // ten minutes
    private const int MaxFailures = 20;

    private static readonly string[] OrderedStages =
        [StageNames.Ingest, StageNames.Clean, StageNames.Extract, StageNames.Store, StageNames.Relate];

    private readonly ConcurrentDictionary<string, StageCounter> _stages = new(
        OrderedStages.Select(n => KeyValuePair.Create(n, new StageCounter())), StringComparer.Ordinal);

    private readonly ConcurrentDictionary<long, int[]> _throughput = new();
    private readonly ConcurrentQueue<FailureInfo> _failures = new();

    /// <summary>One line for each stored document and each failure, as they happen (<c>pipeline run</c> prints them).</summary>
    public event Action<string>? Reported;

    /// <summary>Each failure as it happens, with the document and file it was of.</summary>
    public event Action<FailureInfo>? DocumentFailed;

    public DateTimeOffset Since { get; } = clock.GetUtcNow();

    /// <summary>Documents received by some stage and neither stored nor failed yet.</summary>
    public long InFlight => OrderedStages.Sum(s => Counts(s).InFlight);

    public long FailedTotal => OrderedStages.Sum(s => Counts(s).Failed);

    public static IReadOnlyList<string> Stages => OrderedStages;

    /// <summary>A stage took a message (or ingest a file).</summary>
    public void Received(string stage) => Interlocked.Increment(ref Counter(stage).ReceivedCount);

    /// <summary>A stage published its output.</summary>
    public void Done(string stage)
    {
        Interlocked.Increment(ref Counter(stage).DoneCount);
        if (stage is StageNames.Ingest or StageNames.Store)
        {
            var bucket = _throughput.GetOrAdd(Bucket(clock.GetUtcNow()), _ => new int[2]);
            Interlocked.Increment(ref bucket[stage == StageNames.Ingest ? 0 : 1]);
            Trim();
        }
    }

    public void Failed(string stage, string? documentId, string fileName, string reason, DateTimeOffset at)
    {
        Interlocked.Increment(ref Counter(stage).FailedCount);
        var failure = new FailureInfo(stage, string.IsNullOrEmpty(documentId) ? null : documentId, fileName, reason, at);
        _failures.Enqueue(failure);
        Reported?.Invoke($"failed at {stage}: {fileName}: {reason}");
        DocumentFailed?.Invoke(failure);
        while (_failures.Count > MaxFailures && _failures.TryDequeue(out _))
        {
        }
    }

    /// <summary>The store wrote a document (or found it already stored).</summary>
    public void Stored(DocumentStored stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        Done(StageNames.Store);
        Received(StageNames.Relate);
        Reported?.Invoke($"{(stored.Inserted ? "stored" : "already stored")}: {stored.Title} [{stored.DocumentId[..12]}]");
    }

    /// <summary>The relate stage decided a document's story, original and entities.</summary>
    public void Related(DocumentRelated related)
    {
        ArgumentNullException.ThrowIfNull(related);
        Done(StageNames.Relate);
        var original = related.DuplicateOf is { } of ? $", a copy of [{of[..Math.Min(12, of.Length)]}]" : string.Empty;
        Reported?.Invoke($"related: [{related.DocumentId[..Math.Min(12, related.DocumentId.Length)]}] story {related.StoryId} ({related.Evidence.Story.Rule}){original}");
    }

    public StageCounts Counts(string stage)
    {
        var c = Counter(stage);
        return new StageCounts(Volatile.Read(ref c.ReceivedCount), Volatile.Read(ref c.DoneCount), Volatile.Read(ref c.FailedCount));
    }

    /// <summary>The last failures, newest first.</summary>
    public IReadOnlyList<FailureInfo> RecentFailures() => [.. _failures.Reverse()];

    /// <summary>Documents ingested and stored per 10 seconds over the last ten minutes, oldest first.</summary>
    public IReadOnlyList<ThroughputPoint> Throughput()
    {
        var now = Bucket(clock.GetUtcNow());
        var points = new List<ThroughputPoint>(Buckets);
        for (var b = now - Buckets + 1; b <= now; b++)
        {
            var counts = _throughput.TryGetValue(b, out var c) ? c : [0, 0];
            points.Add(new ThroughputPoint(
                DateTimeOffset.FromUnixTimeSeconds(b * BucketSeconds), Volatile.Read(ref counts[0]), Volatile.Read(ref counts[1])));
        }

        return points;
    }

    private void Trim()
    {
        var oldest = Bucket(clock.GetUtcNow()) - Buckets;
        foreach (var key in _throughput.Keys)
        {
            if (key < oldest)
            {
                _throughput.TryRemove(key, out _);
            }
        }
    }

    private static long Bucket(DateTimeOffset at) => at.ToUnixTimeSeconds() / BucketSeconds;

    private StageCounter Counter(string stage) => _stages.GetOrAdd(stage, _ => new StageCounter());

    private sealed class StageCounter
    {
        public long ReceivedCount;
        public long DoneCount;
        public long FailedCount;
    }
}

public sealed record StageCounts(long Received, long Done, long Failed)
{
    /// <summary>Received but neither done nor failed: waiting in the queue or being worked on.</summary>
    public long InFlight => Math.Max(0, Received - Done - Failed);
}

public sealed record FailureInfo(string Stage, string? DocumentId, string FileName, string Reason, DateTimeOffset At);

public sealed record ThroughputPoint(DateTimeOffset At, int Ingested, int Stored);

/// <summary>
/// Feeds <see cref="PipelineMonitor"/> from the pipeline's events. It consumes the stages' hand-on messages as
/// <see cref="IDocumentProgress"/>, so it never reads their articles and analyses (reading them in full cost
/// the embedded run a sixth of its throughput).
/// </summary>
public sealed class PipelineMonitorConsumer(PipelineMonitor monitor) :
    IConsumer<IDocumentProgress>,
    IConsumer<DocumentStored>,
    IConsumer<DocumentRelated>,
    IConsumer<DocumentFailed>,
    IConsumer<Fault<DocumentIngested>>,
    IConsumer<Fault<DocumentCleaned>>,
    IConsumer<Fault<DocumentExtracted>>,
    IConsumer<Fault<DocumentStored>>
{
    public Task Consume(ConsumeContext<IDocumentProgress> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.Message.CompletedStage)
        {
            case StageNames.Ingest:
                monitor.Received(StageNames.Ingest);
                monitor.Done(StageNames.Ingest);
                monitor.Received(StageNames.Clean);
                break;
            case StageNames.Clean:
                monitor.Done(StageNames.Clean);
                monitor.Received(StageNames.Extract);
                break;
            case StageNames.Extract:
                monitor.Done(StageNames.Extract);
                monitor.Received(StageNames.Store);
                break;
        }

        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DocumentStored> context)
    {
        monitor.Stored(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DocumentRelated> context)
    {
        monitor.Related(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DocumentFailed> context)
    {
        var m = context.Message;
        if (m.Stage == StageNames.Ingest)
        {
            monitor.Received(StageNames.Ingest);
        }

        monitor.Failed(m.Stage, m.DocumentId, m.FileName, m.Reason, m.FailedAt);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<DocumentIngested>> context) =>
        Fault(StageNames.Clean, context.Message.Message.DocumentId, context.Message.Message.FileName, context.Message);

    public Task Consume(ConsumeContext<Fault<DocumentCleaned>> context) =>
        Fault(StageNames.Extract, context.Message.Message.DocumentId, context.Message.Message.FileName, context.Message);

    public Task Consume(ConsumeContext<Fault<DocumentExtracted>> context) =>
        Fault(StageNames.Store, context.Message.Message.DocumentId, context.Message.Message.FileName, context.Message);

    public Task Consume(ConsumeContext<Fault<DocumentStored>> context) =>
        Fault(StageNames.Relate, context.Message.Message.DocumentId, context.Message.Message.Title, context.Message);

    private Task Fault(string stage, string documentId, string fileName, Fault fault)
    {
        var reason = fault.Exceptions.FirstOrDefault()?.Message ?? "unknown error";
        monitor.Failed(stage, documentId, fileName, reason, fault.Timestamp);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The monitor's queue is one of this process's own, removed when it stops: every api replica sees every event
/// (rather than competing for them as a stage's workers do).
/// </summary>
public sealed class PipelineMonitorConsumerDefinition : ConsumerDefinition<PipelineMonitorConsumer>
{
    public PipelineMonitorConsumerDefinition()
    {
        Endpoint(e =>
        {
            e.Name = "pipeline-monitor";
            e.InstanceId = "-" + NewId.NextGuid().ToString("N")[..12];
            e.Temporary = true;
        });
    }
}
