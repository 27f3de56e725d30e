using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Stages.Extract;

public sealed class ExtractConsumer(DocumentProcessor processor) : IConsumer<DocumentCleaned>
{
    public Task Consume(ConsumeContext<DocumentCleaned> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var document = processor.Analyse(
            message.DocumentId, message.FileName, message.Content, message.IngestedAt, message.Article);
        return context.Publish(new DocumentExtracted(document), context.CancellationToken);
    }
}
