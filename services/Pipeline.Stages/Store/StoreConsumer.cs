using MassTransit;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

/// <summary>
/// Stores the document with the next batch of the process's writes, removes its claim checks (nothing reads
/// them afterwards), then announces it.
/// </summary>
public sealed class StoreConsumer(DocumentBatchWriter writer, IDocumentStore store, IClaimChecks claimChecks, TimeProvider clock)
    : IConsumer<DocumentExtracted>
{
    public async Task Consume(ConsumeContext<DocumentExtracted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var m = context.Message;
        byte[] content;
        CleanedArticle article;
        DocumentAnalysis analysis;
        try
        {
            content = await m.Content.Value;
            article = await m.ReadArticleAsync();
            analysis = await m.ReadAnalysisAsync();
        }
        catch (Exception error) when (ClaimCheckedJson.IsGone(error))
        {
            // A delivery before this one stored the document and removed the claim check, but its acknowledgement never
            // reached the broker. Anything else is a lost claim check, and the message must not be acknowledged.
            if (await store.FindTitleAsync(m.DocumentId, context.CancellationToken) is not { } storedTitle)
            {
                throw;
            }

            await AnnounceAsync(context, storedTitle, inserted: false);
            return;
        }

        var document = new ProcessedDocument(m.DocumentId, m.FileName, content, m.IngestedAt, article, analysis);
        bool inserted;
        using (PipelineTelemetry.StartActivity("write", m.DocumentId))
        {
            inserted = await writer.WriteAsync(document, context.CancellationToken);
        }

        if (inserted)
        {
            PipelineTelemetry.RecordStored();
        }

        foreach (var claim in new[] { m.Content, m.ArticleBody, m.AnalysisBody }.Where(ClaimCheckedJson.IsPresent))
        {
            claimChecks.Remove(claim!.Address);
        }

        await AnnounceAsync(context, article.Title, inserted);
    }

    private Task AnnounceAsync(ConsumeContext<DocumentExtracted> context, string title, bool inserted) =>
        context.Publish(
            new DocumentStored(context.Message.DocumentId, title, inserted, clock.GetUtcNow()),
            context.CancellationToken);
}
