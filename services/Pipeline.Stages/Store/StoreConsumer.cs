using MassTransit;
using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

public sealed class StoreConsumer(IDocumentStore store, TimeProvider clock) : IConsumer<DocumentExtracted>
{
    public async Task Consume(ConsumeContext<DocumentExtracted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        var document = new ProcessedDocument(m.DocumentId, m.FileName, await m.Content.Value, m.IngestedAt, m.Article, m.Analysis);
        var inserted = await store.UpsertAsync(document, context.CancellationToken);
        await context.Publish(
            new DocumentStored(m.DocumentId, m.Article.Title, inserted, clock.GetUtcNow()),
            context.CancellationToken);
    }
}
