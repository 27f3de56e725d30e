using MassTransit;
using Pipeline.Contracts;

namespace Pipeline.Hosting;

/// <summary>
/// Builds the clean and extract stages' messages, putting a large article and its analysis in the claim-check
/// repository (<see cref="DocumentCleaned.ArticleBody"/>, <see cref="DocumentExtracted.AnalysisBody"/>). Inline, a
/// page of 16 MB or more made a message the broker refuses (RabbitMQ 4's limit is 16 MiB): the channel closed and the
/// message came back, over and over, until a quorum queue's delivery limit dropped it.
/// </summary>
public sealed class LargeArticles(IMessageDataRepository repository, int inlineChars)
{
    // What the message still carries of a claim-checked article: enough to tell the document in a queue listing.
    private const int StubTitleChars = 500;

    private static readonly DocumentAnalysis EmptyAnalysis = new(null, null, [], [], string.Empty);

    /// <summary>True when the article's text, title and description together exceed the inline limit.</summary>
    public bool IsLarge(CleanedArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return (long)article.Text.Length + article.Title.Length + (article.Metadata.Description?.Length ?? 0) > inlineChars;
    }

    public async Task<DocumentCleaned> CleanedAsync(DocumentIngested ingested, CleanedArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ingested);
        var (inline, body) = IsLarge(article)
            ? (Stub(article), await PutAsync(article, cancellationToken))
            : (article, null);
        return new DocumentCleaned(ingested.DocumentId, ingested.FileName, ingested.Content, ingested.IngestedAt, inline, body);
    }

    /// <summary>The analysis travels as a claim check exactly when the article does.</summary>
    public async Task<DocumentExtracted> ExtractedAsync(DocumentCleaned cleaned, DocumentAnalysis analysis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cleaned);
        if (!ClaimCheckedJson.IsPresent(cleaned.ArticleBody))
        {
            return new DocumentExtracted(cleaned.DocumentId, cleaned.FileName, cleaned.Content, cleaned.IngestedAt, cleaned.Article, analysis);
        }

        return new DocumentExtracted(
            cleaned.DocumentId, cleaned.FileName, cleaned.Content, cleaned.IngestedAt, cleaned.Article, EmptyAnalysis, cleaned.ArticleBody,
            await PutAsync(analysis, cancellationToken));
    }

    private static CleanedArticle Stub(CleanedArticle article) => article with
    {
        Title = article.Title.Length > StubTitleChars ? article.Title[..StubTitleChars] : article.Title,
        Text = string.Empty,
        Metadata = ArticleMetadata.Empty,
    };

    private async Task<MessageData<byte[]>> PutAsync<T>(T value, CancellationToken cancellationToken) =>
        await repository.PutBytes(ClaimCheckedJson.Serialize(value), cancellationToken);
}
