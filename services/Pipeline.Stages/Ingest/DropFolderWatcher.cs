using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Hosting;

namespace Pipeline.Stages.Ingest;

/// <summary>
/// Watches the drop folder: a <see cref="FileSystemWatcher"/> for speed plus a periodic rescan, because events
/// get lost and files already there at start count too. A file is moved to the archive only after the broker
/// confirmed its message, so a crash at any point leaves it in the drop folder to be sent again; its content
/// id makes the repeat harmless.
/// </summary>
public sealed partial class DropFolderWatcher(
    DropFolder folder,
    IBus bus,
    IMessageDataRepository messageData,
    TimeProvider clock,
    ILogger<DropFolderWatcher> logger,
    IInFlightDocuments? inFlight = null) : BackgroundService
{
    private static readonly TimeSpan RoomPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = folder.Options;
        folder.EnsureCreated();
        using var watcher = new FileSystemWatcher(options.DropFolder) { IncludeSubdirectories = false };
        watcher.Created += (_, _) => _wake.Writer.TryWrite(true);
        watcher.Changed += (_, _) => _wake.Writer.TryWrite(true);
        watcher.Renamed += (_, _) => _wake.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;
        logger.LogInformation("Watching {DropFolder}", Path.GetFullPath(options.DropFolder));

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await IngestCompleteFilesAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The broker or the disk may be away for a while: keep the files and try again on the next pass.
                logger.LogWarning(ex, "Ingest pass failed; files stay in the drop folder");
            }

            // A file seen for the first time must settle before it counts, so look again after the settle time.
            var wait = options.SettleTime < options.RescanInterval ? options.SettleTime : options.RescanInterval;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(wait);
            try
            {
                await _wake.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task IngestCompleteFilesAsync(CancellationToken cancellationToken)
    {
        foreach (var link in folder.Links())
        {
            await FailAsync(link, DropFolder.LinkReason, cancellationToken);
        }

        await Parallel.ForEachAsync(
            folder.CompleteFiles(),
            new ParallelOptions { MaxDegreeOfParallelism = folder.Options.Parallelism, CancellationToken = cancellationToken },
            async (file, ct) =>
            {
                await WaitForRoomAsync(ct);
                await IngestAsync(file, ct);
            });
    }

    private async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        var limit = folder.Options.MaxInFlight;
        while (inFlight is not null && limit > 0 && inFlight.InFlight >= limit)
        {
            await Task.Delay(RoomPollInterval, clock, cancellationToken);
        }
    }

    /// <summary>Reads, publishes and archives one file: the root span of the document's trace.</summary>
    private async Task IngestAsync(FileInfo file, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.StartActivity("ingest");
        activity?.SetTag("pipeline.file.name", file.Name);
        using var attempt = PipelineTelemetry.StartAttempt(PipelineStages.IngestName);
        byte[] content;
        try
        {
            if (file.Length > folder.Options.MaxFileBytes)
            {
                throw new InvalidDocumentException(
                    $"file is {file.Length:N0} bytes; the limit is {folder.Options.MaxFileBytes:N0} (Ingest:MaxFileBytes)");
            }

            if (file.Length == 0)
            {
                throw new InvalidDocumentException("file is empty");
            }

            content = await DropFolder.ReadAsync(file, cancellationToken);
            if (!DropFolder.IsUnchanged(file))
            {
                return; // Rewritten while we read it: it must settle again before it counts.
            }
        }
        catch (FileNotFoundException)
        {
            return; // Another ingest process took it.
        }
        catch (Exception ex) when (ex is InvalidDocumentException or IOException or UnauthorizedAccessException)
        {
            await FailAsync(file, ex.Message, cancellationToken);
            return;
        }

        var id = DocumentId.FromContent(content);
        activity?.SetTag(PipelineTelemetry.DocumentIdTag, id);
        using var scope = logger.BeginDocumentScope(id);
        var claim = await messageData.PutBytes(content, cancellationToken);
        await PublishAsync(new DocumentIngested(id, file.Name, claim, clock.GetUtcNow()), cancellationToken);
        if (folder.Archive(file))
        {
            attempt.Done();
            LogIngested(file.Name, id, content.Length);
        }
    }

    private async Task FailAsync(FileSystemInfo file, string reason, CancellationToken cancellationToken)
    {
        if (!folder.Fail(file, reason))
        {
            return;
        }

        PipelineTelemetry.RecordFailed(PipelineStages.IngestName);
        logger.LogWarning("Moved {File} to the failed folder: {Reason}", file.Name, reason);
        await PublishAsync(
            new DocumentFailed(string.Empty, file.Name, PipelineStages.IngestName, reason, clock.GetUtcNow()),
            cancellationToken);
    }

    /// <summary>Publishes and waits for the broker's confirmation, at most <see cref="IngestOptions.PublishTimeout"/>.</summary>
    private async Task PublishAsync<T>(T message, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = new CancellationTokenSource(folder.Options.PublishTimeout, clock);
        using var publish = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        await bus.Publish(message, publish.Token);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingested {File} as {DocumentId} ({Bytes} bytes)")]
    private partial void LogIngested(string file, string documentId, int bytes);
}
