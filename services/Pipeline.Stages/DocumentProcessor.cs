using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Extraction;

namespace Pipeline.Stages;

/// <summary>The clean and extract cores composed, for offline runs without a bus.</summary>
public sealed class DocumentProcessor(ArticleCleaner cleaner, EntityExtractor extractor)
{
    public ArticleCleaner Cleaner => cleaner;

    public EntityExtractor Extractor => extractor;

    public static DocumentProcessor CreateDefault() => new(new ArticleCleaner(), EntityExtractor.CreateDefault());

    /// <summary>Runs both cores on a raw file.</summary>
    public ProcessedDocument Process(string fileName, byte[] content, DateTimeOffset ingestedAt)
    {
        ArgumentNullException.ThrowIfNull(content);
        var article = cleaner.Clean(content, fileName);
        return new ProcessedDocument(DocumentId.FromContent(content), fileName, content, ingestedAt, article, Analyse(article));
    }

    /// <summary>Runs the extract core on an article the clean core produced.</summary>
    public DocumentAnalysis Analyse(CleanedArticle article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return extractor.Extract(article.Text, article.Metadata.PublishedAt, article.Title);
    }
}
