using System.Globalization;
using System.Text.Json;

namespace Pipeline.Cleaning.Html;

/// <summary>What a page says about itself: meta tags, Open Graph, JSON-LD (NewsArticle and kin), canonical link.</summary>
internal sealed class PageMetadata
{
    private static readonly HashSet<string> ArticleTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Article", "NewsArticle", "BlogPosting", "ReportageNews", "AnalysisNewsArticle", "OpinionNewsArticle", "BackgroundNewsArticle",
        "ReviewNewsArticle", "Report", "TechArticle", "ScholarlyArticle", "LiveBlogPosting", "SocialMediaPosting", "Review",
        "AdvertiserContentArticle", "SatiricalArticle", "MedicalScholarlyArticle", "DiscussionForumPosting", "Blog",
    };

    public string? Title { get; private set; }
    public string? PublishedAt { get; private set; }
    public List<string> Authors { get; } = [];
    public string? SiteName { get; private set; }
    public string? CanonicalUrl { get; private set; }
    public string? Description { get; private set; }
    public string? ArticleBody { get; private set; }
    public string? Language { get; private set; }
    public string? Headline { get; private set; }

    /// <summary>A schema.org Recipe's ingredients and instruction steps, in order (text some pages only render by script).</summary>
    public List<string> RecipeLines { get; } = [];

    public static PageMetadata Read(ParsedPage page)
    {
        var m = new PageMetadata();
        string? ogTitle = null, twitterTitle = null;
        foreach (var (key, content) in page.Metas)
        {
            if (content.Length == 0)
            {
                continue;
            }

            switch (key)
            {
                case "og:title": ogTitle ??= content; break;
                case "twitter:title": twitterTitle ??= content; break;
                case "og:site_name" or "application-name" when m.SiteName is null:
                    m.SiteName = content;
                    break;
                case "og:url" or "twitter:url": m.CanonicalUrl ??= content; break;
                case "description" or "og:description" or "twitter:description": m.Description ??= content; break;
                case "article:published_time" or "datepublished" or "pubdate" or "publishdate" or "publish-date" or "date"
                    or "dc.date" or "dc.date.issued" or "dcterms.created" or "sailthru.date" or "parsely-pub-date" or "og:published_time"
                    or "article.published" or "published-date" or "article:published" or "date_published" or "publication_date":
                    m.PublishedAt ??= NormalizeDate(content);
                    break;
                case "author" or "article:author" or "dc.creator" or "byl" or "sailthru.author" or "parsely-author":
                    m.AddAuthor(content);
                    break;
                default:
                    break;
            }
        }

        foreach (var (rel, href) in page.Links)
        {
            if (rel == "canonical" && Uri.TryCreate(href, UriKind.Absolute, out _))
            {
                m.CanonicalUrl = href;
            }
        }

        foreach (var json in page.JsonLd)
        {
            m.ReadJsonLd(json);
        }

        var lang = page.Lang?.Trim();
        if (!string.IsNullOrEmpty(lang) && lang.Length >= 2 && char.IsAsciiLetter(lang[0]) && char.IsAsciiLetter(lang[1])
            && (lang.Length == 2 || !char.IsAsciiLetter(lang[2])))
        {
            m.Language = lang[..2].ToLowerInvariant();
        }

        var h1Node = PageTree.Find(page.Root, "h1");
        var h1 = h1Node is null ? null : PageTree.TextOf(h1Node);
        var title = m.Headline ?? ogTitle ?? twitterTitle ?? (string.IsNullOrWhiteSpace(h1) ? null : h1) ?? page.Title;
        if (!string.IsNullOrWhiteSpace(title))
        {
            m.Title = TextTools.StripSiteSuffix(TextTools.CollapseWhitespace(System.Net.WebUtility.HtmlDecode(title)), m.SiteName);
        }

        return m;
    }

    /// <summary>Longest author name taken: more is a bio or a sentence in the author field.</summary>
    private const int MaxAuthorChars = 100;

    private void AddAuthor(string name)
    {
        name = TextTools.CollapseWhitespace(name);
        if (name.StartsWith("by ", StringComparison.OrdinalIgnoreCase))
        {
            name = name[3..].Trim();
        }

        if (name.Length == 0 || name.Length > MaxAuthorChars || name.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        foreach (var existing in Authors)
        {
            if (string.Equals(existing, name, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        Authors.Add(name);
    }

    /// <summary>Nesting depth and number of elements read in a JSON-LD block: bounds the work on a large or hostile one.</summary>
    private const int MaxJsonLdDepth = 64;

    private const int MaxJsonLdElements = 2000;

    private void ReadJsonLd(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxJsonLdDepth });
            var stack = new Stack<JsonElement>();
            stack.Push(doc.RootElement);
            var visited = 0;
            while (stack.Count > 0 && visited++ < MaxJsonLdElements)
            {
                var e = stack.Pop();
                if (e.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in e.EnumerateArray())
                    {
                        stack.Push(item);
                    }

                    continue;
                }

                if (e.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (e.TryGetProperty("@graph", out var graph))
                {
                    stack.Push(graph);
                }

                if (IsArticle(e))
                {
                    ReadArticle(e);
                }
                else if (RecipeLines.Count == 0 && HasType(e, type => type == "Recipe"))
                {
                    ReadRecipe(e);
                }
                else if (e.TryGetProperty("mainEntity", out var main))
                {
                    stack.Push(main);
                }
            }
        }
        catch (JsonException)
        {
            // Broken JSON-LD is common; the page's other metadata still counts.
        }
    }

    private static bool IsArticle(JsonElement e) => HasType(e, ArticleTypes.Contains);

    private static bool HasType(JsonElement e, Func<string, bool> accepts)
    {
        if (!e.TryGetProperty("@type", out var type))
        {
            return false;
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return accepts(type.GetString()!);
        }

        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in type.EnumerateArray())
            {
                if (t.ValueKind == JsonValueKind.String && accepts(t.GetString()!))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private void ReadRecipe(JsonElement e)
    {
        if (e.TryGetProperty("recipeIngredient", out var ingredients))
        {
            AddRecipeLines(ingredients);
        }

        if (e.TryGetProperty("recipeInstructions", out var instructions))
        {
            AddRecipeLines(instructions);
        }
    }

    /// <summary>Lines from a string (one a line), an array, a HowToStep (its text) or a HowToSection (its steps).</summary>
    private void AddRecipeLines(JsonElement value)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(value);
        while (stack.Count > 0 && RecipeLines.Count < MaxRecipeLines)
        {
            var e = stack.Pop();
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    foreach (var line in System.Net.WebUtility.HtmlDecode(e.GetString()!).Split('\n'))
                    {
                        var text = TextTools.CollapseWhitespace(line);
                        if (text.Length > 0 && !text.Contains('<', StringComparison.Ordinal))
                        {
                            RecipeLines.Add(text);
                        }
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray().Reverse())
                    {
                        stack.Push(item);
                    }

                    break;
                case JsonValueKind.Object:
                    if (e.TryGetProperty("itemListElement", out var steps))
                    {
                        stack.Push(steps);
                    }
                    else if (e.TryGetProperty("text", out var text))
                    {
                        stack.Push(text);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Bounds the lines read from one recipe (a page's JSON can be large).</summary>
    private const int MaxRecipeLines = 200;

    private void ReadArticle(JsonElement e)
    {
        if (Headline is null && GetString(e, "headline") is { } headline)
        {
            Headline = headline;
        }

        if (GetString(e, "datePublished") is { } published && NormalizeDate(published) is { } date)
        {
            PublishedAt ??= date;
        }

        if (ArticleBody is null && GetString(e, "articleBody") is { Length: > 0 } body)
        {
            ArticleBody = body;
        }

        if (Description is null && GetString(e, "description") is { } description)
        {
            Description = description;
        }

        if (CanonicalUrl is null && GetString(e, "url") is { } url && url.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            CanonicalUrl = url;
        }

        if (e.TryGetProperty("author", out var author))
        {
            foreach (var a in author.ValueKind == JsonValueKind.Array ? author.EnumerateArray().ToArray() : [author])
            {
                if (a.ValueKind == JsonValueKind.String)
                {
                    AddAuthor(a.GetString()!);
                }
                else if (a.ValueKind == JsonValueKind.Object && GetString(a, "name") is { } name)
                {
                    AddAuthor(name);
                }
            }
        }

        if (SiteName is null && e.TryGetProperty("publisher", out var publisher) && publisher.ValueKind == JsonValueKind.Object
            && GetString(publisher, "name") is { } site)
        {
            SiteName = site;
        }
    }

    private static string? GetString(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            value = value[0];
        }

        var s = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return string.IsNullOrWhiteSpace(s) ? null : s.Trim();
    }

    /// <summary>Longest all-digit date read as yyyyMMdd (with a time: yyyyMMddHHmmss); longer is an id or a timestamp.</summary>
    private const int MaxDigitDateChars = 14;

    /// <summary>Dates up to this year are placeholders (0001-01-01, 1900-01-01 defaults), not a publication date.</summary>
    private const int MinDateYear = 1900;

    /// <summary>An ISO date (yyyy-MM-dd) from the many ways pages write one.</summary>
    public static string? NormalizeDate(string value)
    {
        value = value.Trim();
        if (value.Length >= 10 && DateTime.TryParseExact(value.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (value.Length >= 8 && value.Length <= MaxDigitDateChars && value.All(char.IsAsciiDigit)
            && DateTime.TryParseExact(value.AsSpan(0, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out d))
        {
            return d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dto) && dto.Year > MinDateYear)
        {
            return dto.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return null;
    }
}
