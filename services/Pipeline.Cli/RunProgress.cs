using MassTransit;
using Pipeline.Contracts;
using Pipeline.Stages;

namespace Pipeline.Cli;

/// <summary>Counts documents in flight during <c>pipeline run</c>, so it can report and tell when all are done.</summary>
internal sealed class RunProgress
{
    private int _pending;
    private int _stored;
    private int _failed;

    public int Stored => Volatile.Read(ref _stored);

    public int Failed => Volatile.Read(ref _failed);

    public void Ingested() => Interlocked.Increment(ref _pending);

    public void StoredOne()
    {
        Interlocked.Increment(ref _stored);
        Interlocked.Decrement(ref _pending);
    }

    public void FailedOne(bool wasIngested)
    {
        Interlocked.Increment(ref _failed);
        if (wasIngested)
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Idle: nothing waiting in the drop folder and nothing in flight, twice in a row a second apart.</summary>
    public async Task WaitUntilIdleAsync(string dropFolder, CancellationToken cancellationToken)
    {
        var idleChecks = 0;
        while (idleChecks < 2)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var waiting = Directory.EnumerateFiles(dropFolder).Any(f => !Path.GetFileName(f).StartsWith('.'));
            idleChecks = !waiting && Volatile.Read(ref _pending) <= 0 ? idleChecks + 1 : 0;
        }
    }
}

/// <summary>Prints one line per document as it is stored or fails, and keeps <see cref="RunProgress"/> current.</summary>
internal sealed class RunProgressConsumer(RunProgress progress) :
    IConsumer<DocumentIngested>,
    IConsumer<DocumentStored>,
    IConsumer<DocumentFailed>,
    IConsumer<Fault<DocumentIngested>>,
    IConsumer<Fault<DocumentCleaned>>,
    IConsumer<Fault<DocumentExtracted>>
{
    public Task Consume(ConsumeContext<DocumentIngested> context)
    {
        progress.Ingested();
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DocumentStored> context)
    {
        var m = context.Message;
        progress.StoredOne();
        Console.Error.WriteLine($"{(m.Inserted ? "stored" : "already stored")}: {m.Title} [{m.DocumentId[..12]}]");
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<DocumentFailed> context)
    {
        var m = context.Message;
        progress.FailedOne(wasIngested: false);
        Console.Error.WriteLine($"failed at {m.Stage}: {m.FileName}: {m.Reason}");
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Fault<DocumentIngested>> context) =>
        Report(context.Message.Message.FileName, PipelineStages.CleanName, context.Message);

    public Task Consume(ConsumeContext<Fault<DocumentCleaned>> context) =>
        Report(context.Message.Message.FileName, PipelineStages.ExtractName, context.Message);

    public Task Consume(ConsumeContext<Fault<DocumentExtracted>> context) =>
        Report(context.Message.Message.FileName, PipelineStages.StoreName, context.Message);

    private Task Report(string fileName, string stage, Fault fault)
    {
        progress.FailedOne(wasIngested: true);
        var reason = fault.Exceptions.FirstOrDefault()?.Message ?? "unknown error";
        Console.Error.WriteLine($"failed at {stage}: {fileName}: {reason}");
        return Task.CompletedTask;
    }
}
