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

/// <summary>Metadata the page carries about itself (meta tags, JSON-LD, byline and date lines).</summary>
public sealed record ArticleMetadata(
    string? PublishedAt = null,
    IReadOnlyList<string>? Authors = null,
    string? SiteName = null,
    string? CanonicalUrl = null,
    string? Description = null)
{
    public static ArticleMetadata Empty { get; } = new();
}
