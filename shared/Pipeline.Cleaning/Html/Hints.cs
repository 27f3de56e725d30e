namespace Pipeline.Cleaning.Html;

/// <summary>Generic boilerplate and content vocabulary found in class, id, role and itemprop attributes.</summary>
internal static class Hints
{
    // Matched as substrings: distinctive enough not to occur inside content-related names.
    private static readonly string[] NegativeParts =
    [
        "comment", "disqus", "share", "sharing", "social", "related", "recommend", "newsletter", "subscri", "promo",
        "advert", "sponsor", "sidebar", "breadcrumb", "popup", "modal", "cookie", "consent", "gdpr", "footer",
        "masthead", "navbar", "navigation", "pagination", "pager", "toolbar", "outbrain", "taboola", "most-read", "mostread",
        "trending", "popular", "readmore", "read-more", "more-stories", "signup", "sign-up", "login", "banner", "skyscraper",
        "byline", "author", "caption", "credit", "dateline", "timestamp", "published", "tagline", "taglist", "tag-list", "tags",
        "keyword", "topics", "rating", "follow", "email", "headline", "jump", "skip", "offscreen", "sr-only", "visually-hidden",
        "screen-reader", "newsfeed", "teaser", "carousel", "slider", "gallery", "lightbox", "table-of-contents",
        "complementary", "contentinfo", "tooltip", "badge", "counter", "overlay",

        // The same in the names of sites written in other major languages (comments, ads, sharing, related, footer, sidebar).
        "kommentar", "komentarz", "commentaire", "comentario", "commento", "werbung", "reklam", "publicidad", "publicite",
        "pubblicita", "teilen", "partage", "compartir", "condivid", "verwandt", "aehnlich", "similaire", "relacionad",
        "correlat", "fusszeile", "seitenleiste", "brotkrume", "impressum", "datenschutz", "stopka",
    ];

    // Matched as whole tokens (class names split at non-letters): too short or too common to match inside words.
    private static readonly HashSet<string> NegativeTokens = new(StringComparer.Ordinal)
    {
        "ad", "ads", "adv", "nav", "menu", "meta", "metadata", "tag", "date", "time", "aside", "extra", "links", "header", "masthead",
        "foot", "side", "rail", "more", "next", "prev", "previous", "source", "bio", "avatar", "icon", "icons", "button",
        "btn", "label", "info", "details", "utility", "utils", "tools", "dropdown", "search", "form", "copyright",
        "legal", "disclaimer", "notice", "alert", "subtitle", "kicker", "eyebrow", "category", "categories", "section-title",
        "toc", "cta", "legend", "legende",
    };

    // Matched as whole class names only: "hidden" hides an element, "hidden-xs" only on small screens.
    private static readonly HashSet<string> NegativeClasses = new(StringComparer.Ordinal)
    {
        "hidden", "hide", "d-none", "print", "print-only", "printonly", "invisible", "is-hidden",
    };

    private static readonly string[] PositiveParts =
    [
        "article", "content", "entry", "story", "post-body", "postbody", "post-content", "text", "main", "body", "blog",
        "column", "prose", "rich", "hentry", "articlebody", "news-detail", "detail",
        "inhalt", "artikel", "beitrag", "meldung", "contenu", "contenido", "conteudo", "articolo", "artigo", "artykul", "tresc",
        "texto", "testo",
    ];

    public static bool IsNegative(string hints)
    {
        if (hints.Length == 0)
        {
            return false;
        }

        foreach (var part in NegativeParts)
        {
            if (hints.Contains(part, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var classRange in hints.AsSpan().Split(' '))
        {
            var name = hints.AsSpan()[classRange];
            if (NegativeClasses.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
            {
                return true;
            }

            if (IsTermLabel(name))
            {
                continue;
            }

            if (IsSiteWidget(name))
            {
                return true;
            }

            var previous = ReadOnlySpan<char>.Empty;
            foreach (var range in name.SplitAny("-_:.0123456789"))
            {
                var token = name[range];
                if (token.Length == 0)
                {
                    continue;
                }

                if (previous.Length > 0 && NegativeTokens.GetAlternateLookup<ReadOnlySpan<char>>().Contains(previous)
                    && !IsLabelPlacement(previous, token))
                {
                    return true;
                }

                previous = token;
            }

            if (previous.Length > 0 && NegativeTokens.GetAlternateLookup<ReadOnlySpan<char>>().Contains(previous))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A widget of the site's theme ("widget", "widget_recent_entries", "widgets-area"), not one of a page builder that
    /// names its blocks of content after its own name first ("elementor-widget-text-editor").
    /// </summary>
    private static bool IsSiteWidget(ReadOnlySpan<char> name) =>
        name.StartsWith("widget", StringComparison.Ordinal) || name.Contains("-widget-area", StringComparison.Ordinal);

    /// <summary>
    /// "label-hidden", "label-above", "label-inline": where a field shows its label (Drupal's "field--label-hidden" on
    /// every body field), not a label itself.
    /// </summary>
    private static bool IsLabelPlacement(ReadOnlySpan<char> token, ReadOnlySpan<char> next) =>
        token.SequenceEqual("label") && (next.SequenceEqual("hidden") || next.SequenceEqual("above") || next.SequenceEqual("inline"));

    private static readonly string[] HeadingNames = ["subheadline", "headline", "subtitle", "kicker", "eyebrow"];

    /// <summary>The hints without the names that say an element is a heading (for telling what else they say).</summary>
    public static string WithoutHeadingNames(string hints)
    {
        foreach (var name in HeadingNames)
        {
            hints = hints.Replace(name, " ", StringComparison.Ordinal);
        }

        return hints;
    }

    /// <summary>
    /// A class that labels the element with a term of the site's taxonomy ("tag-elections", "category-sport" on a blog
    /// post), not one that names a tag list or category menu.
    /// </summary>
    private static bool IsTermLabel(ReadOnlySpan<char> name) =>
        (name.StartsWith("tag-", StringComparison.Ordinal) && name.Length > "tag-".Length)
        || (name.StartsWith("category-", StringComparison.Ordinal) && name.Length > "category-".Length);

    // Readability's "unlikely candidate" vocabulary, with dialogs and slideshows: narrow, for removing whole subtrees before scoring.
    private static readonly string[] UnlikelyParts =
    [
        "-ad-", "banner", "breadcrumb", "combx", "comment", "community", "cover-wrap", "disqus", "extra", "footer", "gdpr", "header",
        "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor",
        "supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "newsletter", "share", "cookie", "modal", "dialog",
        "carousel", "slideshow", "slider",
    ];

    private static readonly string[] MaybeParts = ["and", "article", "body", "column", "content", "main", "shadow"];

    public static bool IsUnlikely(string hints)
    {
        if (hints.Length == 0)
        {
            return false;
        }

        var unlikely = false;
        foreach (var part in UnlikelyParts)
        {
            if (hints.Contains(part, StringComparison.Ordinal))
            {
                unlikely = true;
                break;
            }
        }

        if (!unlikely)
        {
            return false;
        }

        foreach (var part in MaybeParts)
        {
            if (hints.Contains(part, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly string[] StrongNegativeParts =
    [
        "read-more", "readmore", "related", "share", "social", "promo", "advert", "sponsor", "newsletter", "subscri",
    ];

    private static readonly string[] CommentThreadParts =
    [
        "comment", "kommentar", "komentarz", "commentaire", "comentario", "commento", "disqus", "repl", "respon", "discussion",
        "forum",
    ];

    /// <summary>Names of reader comment threads, which stay out of the article however long they are.</summary>
    public static bool IsCommentThread(string hints)
    {
        foreach (var part in CommentThreadParts)
        {
            if (hints.Contains(part, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names that mark chrome even on inline elements (a "read more" span inside a paragraph).</summary>
    public static bool IsStrongNegative(string hints)
    {
        foreach (var part in StrongNegativeParts)
        {
            if (hints.Contains(part, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsPositive(string hints)
    {
        if (hints.Length == 0)
        {
            return false;
        }

        foreach (var part in PositiveParts)
        {
            if (hints.Contains(part, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Readability's class weight, taken off for a boilerplate-sounding name and added for a content-sounding one.</summary>
    private const int ClassWeight = 25;

    /// <summary>Readability's class weight: -25 for boilerplate-sounding names, +25 for content-sounding ones.</summary>
    public static int Weight(string hints)
    {
        var w = 0;
        if (IsNegative(hints))
        {
            w -= ClassWeight;
        }

        if (IsPositive(hints))
        {
            w += ClassWeight;
        }

        return w;
    }
}
