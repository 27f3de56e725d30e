using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting;

namespace Pipeline.Stages.Extract;

public sealed class ExtractConsumer(DocumentProcessor processor) : IConsumer<DocumentCleaned>
{
    public Task Consume(ConsumeContext<DocumentCleaned> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        DocumentAnalysis analysis;
        using (PipelineTelemetry.StartActivity("tag", m.DocumentId))
        {
            analysis = processor.Analyse(m.Article);
        }

        return context.Publish(
            new DocumentExtracted(m.DocumentId, m.FileName, m.Content, m.IngestedAt, m.Article, analysis),
            context.CancellationToken);
    }
}
