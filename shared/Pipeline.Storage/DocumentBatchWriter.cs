using System.Threading.Channels;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>
/// Group commit for a store that receives documents one at a time from many concurrent callers (the store
/// stage's consumers): the documents waiting at a moment go to the database together, in one transaction, and
/// each caller learns the outcome of its own document. A batch that fails for a reason of its own (not an
/// outage) is written again one document at a time, so a bad document fails alone and the others are stored.
/// </summary>
public sealed class DocumentBatchWriter : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly StorageBatchOptions _options;
    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new() { SingleReader = true });
    private readonly Task _writing;

    public DocumentBatchWriter(IDocumentStore store, StorageBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxDocuments, 1, nameof(options));
        _store = store;
        _options = options;
        _writing = Task.Run(WriteBatchesAsync);
    }

    /// <summary>
    /// Upserts the document with the next batch. Returns true when no document with its id was stored before;
    /// throws what the store threw for it. Cancelling stops the wait, not the write.
    /// </summary>
    public Task<bool> WriteAsync(ProcessedDocument document, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(document);
        var pending = new PendingWrite(document);
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);

        return pending.Outcome.Task.WaitAsync(ct);
    }

    /// <summary>Writes what is still waiting, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writing;
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingWrite>(_options.MaxDocuments);
        while (await _pending.Reader.WaitToReadAsync())
        {
            await FillAsync(batch);
            await WriteAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>Takes what is waiting, and waits up to <see cref="StorageBatchOptions.MaxWait"/> for more while the batch has room.</summary>
    private async Task FillAsync(List<PendingWrite> batch)
    {
        using var wait = new CancellationTokenSource(_options.MaxWait);
        while (batch.Count < _options.MaxDocuments)
        {
            if (_pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }

            try
            {
                if (!await _pending.Reader.WaitToReadAsync(wait.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task WriteAsync(List<PendingWrite> batch)
    {
        try
        {
            var inserted = await _store.UpsertManyAsync([.. batch.Select(p => p.Document)], CancellationToken.None);
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetResult(inserted.Contains(pending.Document.DocumentId));
            }
        }
        catch (Exception error) when (batch.Count > 1 && !StorageResilience.IsUnavailable(error))
        {
            foreach (var pending in batch)
            {
                await WriteAloneAsync(pending);
            }
        }
        catch (Exception error)
        {
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(error);
            }
        }
    }

    private async Task WriteAloneAsync(PendingWrite pending)
    {
        try
        {
            pending.Outcome.TrySetResult(await _store.UpsertAsync(pending.Document, CancellationToken.None));
        }
        catch (Exception error)
        {
            pending.Outcome.TrySetException(error);
        }
    }

    private sealed class PendingWrite(ProcessedDocument document)
    {
        public ProcessedDocument Document => document;

        public TaskCompletionSource<bool> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
