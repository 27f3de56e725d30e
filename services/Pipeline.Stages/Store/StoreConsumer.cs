using MassTransit;
using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

/// <summary>Stores the document with the next batch of the process's writes, then announces it.</summary>
public sealed class StoreConsumer(DocumentBatchWriter writer, TimeProvider clock) : IConsumer<DocumentExtracted>
{
    public async Task Consume(ConsumeContext<DocumentExtracted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        var document = new ProcessedDocument(m.DocumentId, m.FileName, await m.Content.Value, m.IngestedAt, m.Article, m.Analysis);
        var inserted = await writer.WriteAsync(document, context.CancellationToken);
        await context.Publish(
            new DocumentStored(m.DocumentId, m.Article.Title, inserted, clock.GetUtcNow()),
            context.CancellationToken);
    }
}
