using System.Collections.Concurrent;
using Pipeline.Contracts;
using Pipeline.ReadSide;
using Pipeline.Stages.Ingest;

namespace Pipeline.Cli;

/// <summary>
/// In <c>pipeline run</c> the error queues are in memory and end with the process, so a document that fails after
/// ingest (in clean, extract or the store) has its archived file moved to the failed folder with the reason, where
/// <c>pipeline errors</c> lists it and <c>pipeline replay --stage ingest</c> takes it back. A failure to relate is
/// not: that document is stored.
/// </summary>
internal sealed partial class FailedDocumentFiles(PipelineMonitor monitor, DropFolder folder, ILogger<FailedDocumentFiles> logger) : BackgroundService
{
    /// <summary>How long a failure waits for its file to reach the archive (ingest archives it just after publishing).</summary>
    private const int MaxTries = 50;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentQueue<(FailureInfo Failure, int Tries)> _pending = new();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        monitor.DocumentFailed += Enqueue;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        monitor.DocumentFailed -= Enqueue;
        SetAside();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                SetAside();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync sets aside what is left.
        }
    }

    private void Enqueue(FailureInfo failure)
    {
        if (failure is { Stage: StageNames.Clean or StageNames.Extract or StageNames.Store, DocumentId: not null })
        {
            _pending.Enqueue((failure, 0));
        }
    }

    private void SetAside()
    {
        for (var count = _pending.Count; count > 0 && _pending.TryDequeue(out var item); count--)
        {
            var (failure, tries) = item;
            try
            {
                if (folder.FailArchived(failure.DocumentId!, failure.FileName, $"failed at {failure.Stage}: {failure.Reason}"))
                {
                    continue;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogNotSetAside(failure.FileName, ex.Message);
                continue;
            }

            if (tries + 1 < MaxTries)
            {
                _pending.Enqueue((failure, tries + 1));
            }
            else
            {
                LogNotSetAside(failure.FileName, "no archived file holds the document");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{FileName} failed but stays in the archive: {Reason}")]
    private partial void LogNotSetAside(string fileName, string reason);
}
