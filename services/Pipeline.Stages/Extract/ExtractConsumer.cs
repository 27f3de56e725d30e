using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Hosting;

namespace Pipeline.Stages.Extract;

public sealed class ExtractConsumer(DocumentProcessor processor, LargeArticles largeArticles, ILogger<ExtractConsumer> logger)
    : IConsumer<DocumentCleaned>
{
    public async Task Consume(ConsumeContext<DocumentCleaned> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (await ClaimCheckReader.ReadAsync(context, message.ReadArticleAsync, logger) is not { } article)
        {
            return;
        }

        DocumentAnalysis analysis;
        using (PipelineTelemetry.StartActivity("tag", message.DocumentId))
        {
            analysis = processor.Analyse(article);
        }

        await context.Publish(await largeArticles.ExtractedAsync(message, analysis, context.CancellationToken), context.CancellationToken);
    }
}
