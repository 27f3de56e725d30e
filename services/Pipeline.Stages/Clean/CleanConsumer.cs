using MassTransit;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Hosting;

namespace Pipeline.Stages.Clean;

public sealed class CleanConsumer(ArticleCleaner cleaner, LargeArticles largeArticles) : IConsumer<DocumentIngested>
{
    public async Task Consume(ConsumeContext<DocumentIngested> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        CleanedArticle article;
        using (PipelineTelemetry.StartActivity("clean", message.DocumentId))
        {
            article = cleaner.Clean(await message.Content.Value, message.FileName);
        }

        await context.Publish(await largeArticles.CleanedAsync(message, article, context.CancellationToken), context.CancellationToken);
    }
}
