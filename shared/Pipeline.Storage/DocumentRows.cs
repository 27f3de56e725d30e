using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>What both stores do alike around their SQL: check and prepare documents before writing, search by text.</summary>
internal static class DocumentRows
{
    /// <summary>
    /// Checks the batch and keeps the last document of each id, ordered by id so that concurrent writers
    /// lock rows in the same order.
    /// </summary>
    public static List<ProcessedDocument> Prepare(IReadOnlyList<ProcessedDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var byId = new Dictionary<string, ProcessedDocument>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            ArgumentNullException.ThrowIfNull(document, nameof(documents));
            if (string.IsNullOrWhiteSpace(document.DocumentId))
            {
                throw new ArgumentException("Every document needs a document id.", nameof(documents));
            }

            ArgumentNullException.ThrowIfNull(document.Article, nameof(documents));
            ArgumentNullException.ThrowIfNull(document.Analysis, nameof(documents));
            byId[document.DocumentId] = WithoutNul(document);
        }

        return [.. byId.Values.OrderBy(d => d.DocumentId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// PostgreSQL text and jsonb cannot hold U+0000: both stores replace it with U+FFFD (same length, so entity
    /// offsets stay right) rather than fail on such a document forever.
    /// </summary>
    private static ProcessedDocument WithoutNul(ProcessedDocument document)
    {
        var article = document.Article;
        var analysis = document.Analysis;
        var metadata = article.Metadata ?? ArticleMetadata.Empty;
        var dirty = HasNul(document.FileName) || HasNul(article.Title) || HasNul(article.Text) || HasNul(article.Language)
            || HasNul(article.Format) || HasNul(metadata.PublishedAt) || HasNul(metadata.SiteName)
            || HasNul(metadata.CanonicalUrl) || HasNul(metadata.Description) || (metadata.Authors?.Any(HasNul) ?? false)
            || HasNul(analysis.PublishedOn) || HasNul(analysis.Summary)
            || analysis.Dateline is { } d && (HasNul(d.Date) || HasNul(d.Place) || HasNul(d.Agency))
            || (analysis.Keywords?.Any(HasNul) ?? false)
            || (analysis.Entities?.Any(HasNul) ?? false) || (analysis.TitleEntities?.Any(HasNul) ?? false);
        if (!dirty)
        {
            return document;
        }

        return document with
        {
            FileName = Clean(document.FileName)!,
            Article = article with
            {
                Title = Clean(article.Title)!,
                Text = Clean(article.Text)!,
                Language = Clean(article.Language),
                Format = Clean(article.Format)!,
                Metadata = metadata with
                {
                    PublishedAt = Clean(metadata.PublishedAt),
                    SiteName = Clean(metadata.SiteName),
                    CanonicalUrl = Clean(metadata.CanonicalUrl),
                    Description = Clean(metadata.Description),
                    Authors = metadata.Authors?.Select(a => Clean(a)!).ToList(),
                },
            },
            Analysis = analysis with
            {
                PublishedOn = Clean(analysis.PublishedOn),
                Summary = Clean(analysis.Summary)!,
                Dateline = analysis.Dateline is { } dateline
                    ? dateline with { Date = Clean(dateline.Date), Place = Clean(dateline.Place), Agency = Clean(dateline.Agency) }
                    : null,
                Keywords = analysis.Keywords?.Select(k => Clean(k)!).ToList()!,
                Entities = analysis.Entities?.Select(Clean).ToList()!,
                TitleEntities = analysis.TitleEntities?.Select(Clean).ToList(),
            },
        };
    }

    private static bool HasNul(string? value) => value is not null && value.Contains('\0', StringComparison.Ordinal);

    private static bool HasNul(EntityMention e) =>
        HasNul(e.Type) || HasNul(e.Text) || HasNul(e.Canonical) || (e.Roles?.Any(HasNul) ?? false);

    private static EntityMention Clean(EntityMention e) => e with
    {
        Type = Clean(e.Type)!,
        Text = Clean(e.Text)!,
        Canonical = Clean(e.Canonical),
        Roles = e.Roles?.Select(r => Clean(r)!).ToList(),
    };

    private static string? Clean(string? value) => value?.Replace('\0', '\uFFFD');

    /// <summary>The entity's name for lookups: its canonical name when known, else the mention text.</summary>
    public static string EntityName(EntityMention mention) =>
        string.IsNullOrWhiteSpace(mention.Canonical) ? mention.Text : mention.Canonical;

    public static IReadOnlyList<EntityMention> Entities(ProcessedDocument document) =>
        document.Analysis.Entities ?? [];

    public static IReadOnlyList<string> Keywords(ProcessedDocument document) =>
        document.Analysis.Keywords ?? [];

    /// <summary>
    /// <see cref="IDocumentStore.SearchAsync"/> of both stores: one query implementation, the read side's search
    /// without filters.
    /// </summary>
    public static async Task<IReadOnlyList<SearchHit>> SearchTextAsync(IDocumentQueries store, string query, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (string.IsNullOrWhiteSpace(query))
        {
            return [];
        }

        var page = await store.SearchDocumentsAsync(new DocumentQuery { Text = query, Limit = limit }, ct);
        return page.Hits;
    }
}
