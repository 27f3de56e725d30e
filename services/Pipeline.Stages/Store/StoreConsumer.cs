using MassTransit;
using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

public sealed class StoreConsumer(IDocumentStore store, TimeProvider clock) : IConsumer<DocumentExtracted>
{
    public async Task Consume(ConsumeContext<DocumentExtracted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var document = context.Message.Document;
        var inserted = await store.UpsertAsync(document, context.CancellationToken);
        await context.Publish(
            new DocumentStored(document.DocumentId, document.Article.Title, inserted, clock.GetUtcNow()),
            context.CancellationToken);
    }
}
