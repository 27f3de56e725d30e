using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Relating;
using Pipeline.Storage;

namespace Pipeline.Stages.Relate;

/// <summary>
/// Relates a stored document to the archive (its original, its story, its entities' identities) and announces what
/// it decided. A redelivery or a re-dropped file gets the decision made the first time: the relater keeps it.
/// </summary>
public sealed class RelateConsumer(IDocumentStore store, ArchiveRelater relater) : IConsumer<DocumentStored>
{
    public async Task Consume(ConsumeContext<DocumentStored> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var documentId = context.Message.DocumentId;
        var document = await store.GetAsync(documentId, context.CancellationToken)
            ?? throw new InvalidDocumentException($"Document {documentId} is announced as stored but the store does not have it.");
        var input = RelateInput.From(document.ToProcessedDocument());
        DocumentRelated decision;
        using (PipelineTelemetry.StartActivity("relate", documentId))
        {
            decision = await store.RelateAsync((index, ct) => relater.RelateAsync(input, index, ct), context.CancellationToken);
        }

        await context.Publish(decision, context.CancellationToken);
    }
}
