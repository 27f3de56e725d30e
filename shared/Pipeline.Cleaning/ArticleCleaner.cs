using Pipeline.Cleaning.Html;
using Pipeline.Cleaning.Text;
using Pipeline.Contracts;

namespace Pipeline.Cleaning;

/// <summary>
/// The clean stage: finds the article in a raw file (HTML page, scraped plain text or Markdown) and returns its
/// title, text (paragraphs separated by one blank line), language and the metadata the page carries.
/// Thread-safe and stateless per call: create one per process.
/// </summary>
public sealed class ArticleCleaner
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "An instance API, so callers can hold one cleaner and later versions can cache per instance.")]
    public CleanedArticle Clean(ReadOnlySpan<byte> content, string? fileName = null)
    {
        var text = DocumentDecoder.Decode(content, out var looksLikeHtml);
        var extension = Path.GetExtension(fileName ?? string.Empty).ToLowerInvariant();
        var format = extension switch
        {
            ".html" or ".htm" or ".xhtml" => "html",
            ".md" or ".markdown" => "markdown",
            _ when looksLikeHtml && (extension is not (".txt" or ".text") || StartsWithMarkup(text)) => "html",
            _ when MarkdownReader.LooksLikeMarkdown(text) => "markdown",
            _ => "text",
        };

        var article = format switch
        {
            "html" => CleanHtml(text),
            "markdown" => CleanMarkdown(text),
            _ => CleanText(text),
        };

        if (article.Text.Length == 0)
        {
            throw new InvalidDocumentException($"no article text found in the {format} document");
        }

        return article;
    }

    private static bool StartsWithMarkup(string text)
    {
        var head = text.AsSpan().TrimStart();
        return head.StartsWith("<!doctype", StringComparison.OrdinalIgnoreCase) || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    private static CleanedArticle CleanHtml(string html)
    {
        var result = HtmlArticleExtractor.Extract(html);
        var text = string.Join("\n\n", result.Paragraphs);
        var m = result.Metadata;
        var titleDerived = result.Title.Length == 0 && result.Paragraphs.Count > 0;
        var title = titleDerived ? LeadHeadline.FromLead(result.Paragraphs[0]) : result.Title;
        var metadata = new ArticleMetadata(m.PublishedAt, m.Authors.Count > 0 ? m.Authors : null, m.SiteName, m.CanonicalUrl, m.Description,
            titleDerived, result.Confidence);
        var language = LanguageDetector.Detect(text) ?? m.Language;
        return new CleanedArticle(title, text, language, "html", metadata);
    }

    private static CleanedArticle CleanMarkdown(string markdown)
    {
        var plain = MarkdownReader.ToPlainText(markdown, out var heading);
        var result = ScrapedTextCleaner.Clean(plain);
        var (paragraphs, confidence) = ParagraphsOrAllLines(result, plain);
        var text = string.Join("\n\n", paragraphs);
        var metadata = Metadata(result, confidence) with { TitleDerived = heading is null && result.TitleDerived };
        return new CleanedArticle(heading ?? result.Title, text, LanguageDetector.Detect(text), "markdown", metadata);
    }

    private static CleanedArticle CleanText(string raw)
    {
        var result = ScrapedTextCleaner.Clean(raw);
        var (paragraphs, confidence) = ParagraphsOrAllLines(result, raw);
        var text = string.Join("\n\n", paragraphs);
        return new CleanedArticle(result.Title, text, LanguageDetector.Detect(text), "text", Metadata(result, confidence));
    }

    /// <summary>The story found, or when every line looked like chrome, all of them: a guess beats no output.</summary>
    private static (IReadOnlyList<string> Paragraphs, double Confidence) ParagraphsOrAllLines(TextExtraction result, string input) =>
        result.Paragraphs.Count > 0
            ? (result.Paragraphs, ExtractionConfidence.Clear)
            : ([.. input.Split('\n').Select(line => TextTools.CollapseWhitespace(line)).Where(line => line.Length > 0)], ExtractionConfidence.AllText);

    private static ArticleMetadata Metadata(TextExtraction result, double confidence) =>
        new(PublishedAt: result.Date, Authors: result.Authors.Count > 0 ? result.Authors : null, TitleDerived: result.TitleDerived,
            Confidence: confidence);
}
