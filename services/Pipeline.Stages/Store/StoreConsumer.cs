using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

/// <summary>
/// Stores the document with the next batch of the process's writes, removes its claim check (nothing reads
/// it afterwards), then announces it.
/// </summary>
public sealed class StoreConsumer(DocumentBatchWriter writer, IDocumentStore store, IClaimChecks claimChecks, TimeProvider clock)
    : IConsumer<DocumentExtracted>
{
    public async Task Consume(ConsumeContext<DocumentExtracted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        byte[] content;
        try
        {
            content = await m.Content.Value;
        }
        catch (Exception error) when (error.GetBaseException() is FileNotFoundException or MessageDataNotFoundException)
        {
            // A delivery before this one stored the document and removed the claim check, but its acknowledgement never
            // reached the broker. Anything else is a lost claim check, and the message must not be acknowledged.
            if (await store.GetAsync(m.DocumentId, context.CancellationToken) is null)
            {
                throw;
            }

            await AnnounceAsync(context, inserted: false);
            return;
        }

        var document = new ProcessedDocument(m.DocumentId, m.FileName, content, m.IngestedAt, m.Article, m.Analysis);
        bool inserted;
        using (PipelineTelemetry.StartActivity("write", m.DocumentId))
        {
            inserted = await writer.WriteAsync(document, context.CancellationToken);
        }

        claimChecks.Remove(m.Content.Address);
        await AnnounceAsync(context, inserted);
    }

    private Task AnnounceAsync(ConsumeContext<DocumentExtracted> context, bool inserted) =>
        context.Publish(
            new DocumentStored(context.Message.DocumentId, context.Message.Article.Title, inserted, clock.GetUtcNow()),
            context.CancellationToken);
}
