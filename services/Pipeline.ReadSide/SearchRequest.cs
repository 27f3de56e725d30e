using System.Globalization;
using Pipeline.Storage;

namespace Pipeline.ReadSide;

/// <summary>
/// Turns search parameters as a user gives them (query string or command line) into a <see cref="DocumentQuery"/>,
/// strictly: dates must be <c>yyyy-MM-dd</c>, pages and page sizes bounded. <c>pipeline search</c> and
/// <c>GET /api/documents</c> both go through here, then through <see cref="IDocumentQueries.SearchDocumentsAsync"/>.
/// </summary>
public sealed record SearchRequest(
    string? Q,
    string? Person = null,
    string? Org = null,
    string? Place = null,
    string? From = null,
    string? To = null,
    string? Page = null,
    string? PageSize = null,
    string? Sort = null)
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 50;
    public const int MaxPage = 1000;
    public const int MaxTextLength = 500;

    /// <summary>The query, or the problems with the parameters by parameter name.</summary>
    public (DocumentQuery? Query, Dictionary<string, string[]> Errors) Validate(int maxPageSize = MaxPageSize)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var page = ParseInt(Page, "page", 1, 1, MaxPage, errors);
        var pageSize = ParseInt(PageSize, "pageSize", DefaultPageSize, 1, maxPageSize, errors);
        var from = ParseDate(From, "from", errors);
        var to = ParseDate(To, "to", errors);
        if (from is { } f && to is { } t && f > t)
        {
            errors["to"] = ["'to' is before 'from'."];
        }

        CheckLength(Q, "q", errors);
        CheckLength(Person, "person", errors);
        CheckLength(Org, "org", errors);
        CheckLength(Place, "place", errors);
        DocumentSort sort;
        switch (Sort)
        {
            case null or "" or "relevance":
                sort = DocumentSort.Relevance;
                break;
            case "date":
                sort = DocumentSort.Date;
                break;
            default:
                sort = DocumentSort.Relevance;
                errors["sort"] = ["'sort' must be 'relevance' or 'date'."];
                break;
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new DocumentQuery
        {
            Text = Q,
            Person = Person,
            Organization = Org,
            Place = Place,
            From = from,
            To = to,
            Sort = sort,
            Offset = (page - 1) * pageSize,
            Limit = pageSize,
            FoldReprints = true,
        }, errors);
    }

    /// <summary>The 1-based page number the request asks for (1 when absent or invalid).</summary>
    public int PageNumber => int.TryParse(Page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;

    /// <summary>
    /// How many pages of results a search reports, for the page size it used: never more than <see cref="MaxPage"/>,
    /// the last page a search may ask for, though the total counts every match.
    /// </summary>
    public static long PageCount(long total, int pageSize) => Math.Min((total + pageSize - 1) / pageSize, MaxPage);

    /// <summary>True when the request names neither text nor a filter.</summary>
    public bool IsEmpty =>
        string.IsNullOrWhiteSpace(Q) && string.IsNullOrWhiteSpace(Person) && string.IsNullOrWhiteSpace(Org)
        && string.IsNullOrWhiteSpace(Place) && string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To);

    /// <summary>A whole number parameter from <paramref name="min"/> to <paramref name="max"/>; a problem in <paramref name="errors"/> otherwise.</summary>
    internal static int ParseInt(string? value, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            errors[name] = [$"'{name}' must be a whole number from {min} to {max}."];
            return fallback;
        }

        return number;
    }

    private static DateOnly? ParseDate(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors[name] = [$"'{name}' must be a date written yyyy-MM-dd."];
            return null;
        }

        return date;
    }

    private static void CheckLength(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (value is { Length: > MaxTextLength })
        {
            errors[name] = [$"'{name}' is longer than {MaxTextLength} characters."];
        }
    }
}
