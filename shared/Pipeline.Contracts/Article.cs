namespace Pipeline.Contracts;

/// <summary>What the clean stage makes of a raw file: the article alone, with what the page says about itself.</summary>
/// <param name="Title">The headline, or the first line when the input has none marked.</param>
/// <param name="Text">The article body: paragraphs separated by one blank line.</param>
/// <param name="Language">ISO 639-1 code, or null when it cannot be told.</param>
/// <param name="Format">What the input was: <c>html</c>, <c>text</c> or <c>markdown</c>.</param>
public sealed record CleanedArticle(
    string Title,
    string Text,
    string? Language,
    string Format,
    ArticleMetadata Metadata);

/// <summary>Metadata the page carries about itself (meta tags, JSON-LD, byline and date lines), and how the clean stage read it.</summary>
/// <param name="TitleDerived">True when the input has no headline and the title was made from the lead sentence.</param>
/// <param name="Confidence">
/// How clearly the text found is the article, from 0 to 1: low when no block stood out and the best candidate was
/// taken anyway; null for documents cleaned before it was recorded.
/// </param>
public sealed record ArticleMetadata(
    string? PublishedAt = null,
    IReadOnlyList<string>? Authors = null,
    string? SiteName = null,
    string? CanonicalUrl = null,
    string? Description = null,
    bool TitleDerived = false,
    double? Confidence = null)
{
    public static ArticleMetadata Empty { get; } = new();
}
