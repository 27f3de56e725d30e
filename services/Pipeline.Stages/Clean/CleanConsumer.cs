using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Hosting;

namespace Pipeline.Stages.Clean;

public sealed class CleanConsumer(ArticleCleaner cleaner, LargeArticles largeArticles, ILogger<CleanConsumer> logger) : IConsumer<DocumentIngested>
{
    public async Task Consume(ConsumeContext<DocumentIngested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (await ClaimCheckReader.ReadAsync(context, () => message.Content.Value, logger) is not { } content)
        {
            return;
        }

        CleanedArticle article;
        using (PipelineTelemetry.StartActivity("clean", message.DocumentId))
        {
            article = cleaner.Clean(content, message.FileName);
        }

        await context.Publish(await largeArticles.CleanedAsync(message, article, context.CancellationToken), context.CancellationToken);
    }
}
