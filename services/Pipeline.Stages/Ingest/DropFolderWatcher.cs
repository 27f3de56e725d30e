using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Storage;

namespace Pipeline.Stages.Ingest;

/// <summary>
/// Watches the drop folder: a <see cref="FileSystemWatcher"/> for speed plus a periodic rescan, because events
/// get lost and files already there at start count too. Each file is first claimed for this replica (see
/// <see cref="DropFolder"/>), so replicas sharing the folder never publish one file twice while they live. A file is
/// moved to the archive only after the broker confirmed its message, so a crash at any point leaves it in the drop
/// folder or in a claim folder that goes back to the drop folder once its lease expired, to be sent again; its
/// content id makes the repeat harmless. A file whose document is stored already (a re-drop) is archived at once,
/// when the process can reach the store, instead of going through every stage again.
/// </summary>
public sealed partial class DropFolderWatcher(
    DropFolder folder,
    IBus bus,
    IMessageDataRepository messageData,
    TimeProvider clock,
    ILogger<DropFolderWatcher> logger,
    IInFlightDocuments? inFlight = null,
    IDocumentStore? store = null) : BackgroundService
{
    private static readonly TimeSpan RoomPollInterval = TimeSpan.FromMilliseconds(50);

    // The look-up only saves work: a store that does not answer at once must not hold files back.
    private static readonly TimeSpan StoredCheckTimeout = TimeSpan.FromSeconds(2);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = folder.Options;
        folder.EnsureCreated();
        using var leaseStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var lease = RenewLeaseAsync(leaseStop.Token);
        try
        {
            using var watcher = new FileSystemWatcher(options.DropFolder) { IncludeSubdirectories = false };
            watcher.Created += (_, _) => _wake.Writer.TryWrite(true);
            watcher.Changed += (_, _) => _wake.Writer.TryWrite(true);
            watcher.Renamed += (_, _) => _wake.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            logger.LogInformation("Watching {DropFolder} as replica {ReplicaId}", Path.GetFullPath(options.DropFolder), options.ReplicaId);

            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await IngestCompleteFilesAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The broker or the disk may be away for a while: keep the files and try again on the next pass.
                    logger.LogWarning(ex, "Ingest pass failed; files stay in the drop folder or this replica's claim folder");
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
        finally
        {
            await leaseStop.CancelAsync();
            await lease;
            ReleaseClaims();
        }
    }

    private async Task IngestCompleteFilesAsync(CancellationToken cancellationToken)
    {
        foreach (var (claimFolder, files) in folder.RecoverExpiredClaims())
        {
            logger.LogWarning(
                "Moved {Files} files from the claim folder {ClaimFolder} back to the drop folder: its lease was not renewed for {ClaimLease}",
                files, claimFolder, folder.Options.ClaimLease);
        }

        RenameUndecodableNames();
        foreach (var link in folder.Links())
        {
            await FailAsync(link, DropFolder.LinkReason, cancellationToken);
        }

        await ForEachFileAsync(folder.ClaimedFiles(), IngestAsync, cancellationToken);
        // Claimed one at a time, just before it is read: other replicas take the rest meanwhile, and files held back
        // for room stay in the drop folder.
        await ForEachFileAsync(
            folder.CompleteFiles(),
            async (file, ct) =>
            {
                if (Claim(file) is { } claimed)
                {
                    await IngestAsync(claimed, ct);
                }
            },
            cancellationToken);
    }

    /// <summary>Names that are not UTF-8 are renamed, else the file could never be taken; one that cannot be renamed stays.</summary>
    private void RenameUndecodableNames()
    {
        try
        {
            foreach (var (from, to) in folder.RenameUndecodableNames())
            {
                logger.LogWarning("Renamed {File} in the drop folder to {NewName}: its name is not UTF-8", from, to);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not rename a file whose name is not UTF-8, it stays in the drop folder: {Reason}", ex.Message);
        }
    }

    /// <summary>Claims a file; one that cannot be moved (no permission, locked by its writer) waits, and the others go on.</summary>
    private FileInfo? Claim(FileInfo file)
    {
        try
        {
            return folder.Claim(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not claim {File}, it stays in the drop folder: {Reason}", file.Name, ex.Message);
            return null;
        }
    }

    private Task ForEachFileAsync(IEnumerable<FileInfo> files, Func<FileInfo, CancellationToken, Task> ingest, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = folder.Options.Parallelism, CancellationToken = cancellationToken },
            async (file, ct) =>
            {
                await WaitForRoomAsync(ct);
                await ingest(file, ct);
            });

    /// <summary>Renews this replica's lease until stopped, on a timer of its own: one pass can take long.</summary>
    private async Task RenewLeaseAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(folder.Options.ClaimLease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    switch (folder.RenewLease())
                    {
                        case LeaseRenewal.FolderTakenOver:
                            logger.LogWarning(
                                "This replica did not renew its lease for {ClaimLease}; another replica moved the files it held back to the drop folder",
                                folder.Options.ClaimLease);
                            break;
                        case LeaseRenewal.SharedReplicaId:
                            logger.LogError(
                                "Another running ingest process uses the replica id {ReplicaId}: give each replica its own Ingest__ReplicaId",
                                folder.Options.ReplicaId);
                            break;
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning(ex, "Could not renew the lease on {ClaimFolder}", folder.OwnClaimPath);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>On a clean stop what this replica holds goes back at once, not once its lease expired.</summary>
    private void ReleaseClaims()
    {
        try
        {
            if (folder.ReleaseClaims() is > 0 and var released)
            {
                logger.LogInformation("Stopping: moved {Files} claimed files back to the drop folder", released);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Could not move claimed files back; other replicas take them once the lease expired");
        }
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
        byte[]? content;
        try
        {
            if (DropFolder.RefusalReason(file) is { } refusal)
            {
                throw new InvalidDocumentException(refusal);
            }

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
            if (content is null || !DropFolder.IsUnchanged(file))
            {
                folder.Release(file); // Still open for writing, or rewritten while we read it: it must settle again before it counts.
                return;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return; // Another replica took over this replica's claims: it went without renewing its lease too long.
        }
        catch (Exception ex) when (ex is InvalidDocumentException or IOException or UnauthorizedAccessException)
        {
            await FailAsync(file, ex.Message, cancellationToken);
            return;
        }

        var id = DocumentId.FromContent(content);
        activity?.SetTag(PipelineTelemetry.DocumentIdTag, id);
        using var scope = logger.BeginDocumentScope(id);
        if (await StoredTitleAsync(id, cancellationToken) is { } title)
        {
            // Announced as the store announces a redelivery of a stored document, so that whoever waits for every
            // file to end (pipeline run --exit-when-idle, the read side's counts) sees this one end too.
            await PublishAsync(new DocumentStored(id, title, Inserted: false, clock.GetUtcNow()), cancellationToken);
            if (folder.Archive(file))
            {
                PipelineTelemetry.RecordSkipped(PipelineStages.IngestName);
                LogAlreadyStored(file.Name, id);
            }

            return;
        }

        var claim = await messageData.PutBytes(content, cancellationToken);
        await PublishAsync(new DocumentIngested(id, file.Name, claim, clock.GetUtcNow()), cancellationToken);
        if (folder.Archive(file))
        {
            attempt.Done();
            LogIngested(file.Name, id, content.Length);
        }
    }

    /// <summary>The stored document's title when it is stored already; null when not, or when the store cannot tell.</summary>
    private async Task<string?> StoredTitleAsync(string documentId, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoredCheckTimeout);
        try
        {
            return await store.FindTitleAsync(documentId, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug(ex, "Could not tell whether the document is stored already; it goes through the stages");
            return null;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Archived {File}: its document {DocumentId} is stored already")]
    private partial void LogAlreadyStored(string file, string documentId);
}
