using System.Text;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.ReadSide;

/// <summary>One search hit as the API returns it.</summary>
/// <param name="Snippet">HTML: escaped text with matches in <c>&lt;mark&gt;</c>.</param>
/// <param name="StoryId">Its story, once the relate stage has related it.</param>
/// <param name="DuplicateOf">The document it copies, when that one is not on the page.</param>
/// <param name="Reprints">The page's copies of it, folded under it ("+2 reprints").</param>
public sealed record DocumentHit(
    string DocumentId,
    string Title,
    string Snippet,
    double Rank,
    string? PublishedOn,
    string Url,
    string? StoryId,
    string? DuplicateOf,
    IReadOnlyList<ReprintHit> Reprints);

/// <summary>A page of search results.</summary>
public sealed record SearchResponse(long Total, int Page, int PageSize, long Pages, string Sort, IReadOnlyList<DocumentHit> Hits);

/// <summary>An entity mention in a document, with the id of the entity it belongs to.</summary>
/// <param name="EntityId">The per-name entity's id, <c>type:name</c>.</param>
/// <param name="ArchiveEntityId">The archive-wide entity the relate stage linked it to, if any.</param>
public sealed record DocumentEntity(
    string EntityId,
    string Type,
    string Text,
    int Start,
    int End,
    string Name,
    string? Canonical,
    IReadOnlyList<string>? Roles,
    string? ArchiveEntityId);

/// <summary>What the relate stage decided for a document, and why.</summary>
/// <param name="DuplicateOf">The document it copies, or null when it is an original.</param>
/// <param name="Reprints">Documents that copy it.</param>
/// <param name="EntityIds">The archive entities it names (body and title), most mentioned first.</param>
public sealed record DocumentRelationResponse(
    string StoryId,
    string StoryTitle,
    string StoryUrl,
    string? DuplicateOf,
    IReadOnlyList<string> Reprints,
    RelationEvidence Evidence,
    IReadOnlyList<string> EntityIds,
    IReadOnlyList<StoryEntity> Entities);

/// <summary>The raw original: where to fetch it, and its text when it is UTF-8.</summary>
public sealed record RawOriginal(string Url, int Bytes, string ContentType, string? Text);

public sealed record DocumentResponse(
    string DocumentId,
    string FileName,
    string Title,
    string Text,
    string? Language,
    string Format,
    ArticleMetadata Metadata,
    string? PublishedOn,
    Dateline? Dateline,
    IReadOnlyList<DocumentEntity> Entities,
    IReadOnlyList<string> Keywords,
    string Summary,
    RawOriginal Raw,
    DateTimeOffset IngestedAt,
    DateTimeOffset StoredAt,
    DateTimeOffset UpdatedAt,
    DocumentRelationResponse? Relation);

public sealed record SubmitResponse(string DocumentId, string FileName, string Status, string Url);

internal static class DocumentEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";
    private const int MaxRawTextBytes = 1024 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<Results<Ok<SearchResponse>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        string? q,
        string? person,
        string? org,
        string? place,
        string? from,
        string? to,
        string? page,
        string? pageSize,
        string? sort,
        IDocumentQueries queries,
        CancellationToken ct)
    {
        var request = new SearchRequest(q, person, org, place, from, to, page, pageSize, sort);
        var (query, errors) = request.Validate();
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The search parameters are not valid.");
        }

        DocumentPage result;
        try
        {
            result = await queries.SearchDocumentsAsync(query, ct);
        }
        catch (SearchTimeoutException error)
        {
            return TypedResults.Problem(error.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The search took too long.");
        }

        var hits = result.Hits
            .Select(h => new DocumentHit(
                h.DocumentId, h.Title, h.Snippet, h.Rank, h.PublishedOn, "/api/documents/" + h.DocumentId, h.StoryId, h.DuplicateOf, h.Reprints ?? []))
            .ToList();
        var pages = SearchRequest.PageCount(result.Total, query.Limit);
        var sortName = query.Sort == DocumentSort.Date || string.IsNullOrWhiteSpace(query.Text) ? "date" : "relevance";
        return TypedResults.Ok(new SearchResponse(result.Total, request.PageNumber, query.Limit, pages, sortName, hits));
    }

    public static async Task<Results<Ok<DocumentResponse>, NotFound<ProblemDetails>, ValidationProblem>> GetAsync(
        string id, IDocumentStore store, CancellationToken ct)
    {
        if (!DocumentId.IsValid(id))
        {
            return InvalidId(id);
        }

        var document = await store.GetAsync(id, ct);
        if (document is null)
        {
            return NotFound(id);
        }

        var relation = await store.GetRelationAsync(id, ct);
        var archiveIds = relation?.Links.Where(l => !l.InTitle).ToDictionary(l => l.Ordinal, l => l.EntityId) ?? [];
        var entities = document.Entities.Select((e, ordinal) =>
        {
            var name = string.IsNullOrWhiteSpace(e.Canonical) ? e.Text : e.Canonical;
            return new DocumentEntity(
                EntityIds.Format(e.Type, name), e.Type, e.Text, e.Start, e.End, name, e.Canonical, e.Roles, archiveIds.GetValueOrDefault(ordinal));
        }).ToList();
        var (contentType, text) = Describe(document.Content);
        return TypedResults.Ok(new DocumentResponse(
            document.DocumentId,
            document.FileName,
            document.Title,
            document.Text,
            document.Language,
            document.Format,
            document.Metadata,
            document.PublishedOn,
            document.Dateline,
            entities,
            document.Keywords,
            document.Summary,
            new RawOriginal($"/api/documents/{document.DocumentId}/raw", document.Content.Length, contentType, text),
            document.IngestedAt,
            document.StoredAt,
            document.UpdatedAt,
            relation is null
                ? null
                : new DocumentRelationResponse(
                    relation.StoryId,
                    relation.StoryTitle,
                    "/api/stories/" + Uri.EscapeDataString(relation.StoryId),
                    relation.DuplicateOf,
                    relation.Reprints,
                    relation.Evidence,
                    [.. relation.Entities.Select(e => e.EntityId)],
                    relation.Entities)));
    }

    public static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>, ValidationProblem>> RawAsync(
        string id, IDocumentStore store, HttpContext context, CancellationToken ct)
    {
        if (!DocumentId.IsValid(id))
        {
            return InvalidId(id);
        }

        var document = await store.GetAsync(id, ct);
        if (document is null)
        {
            return NotFound(id);
        }

        // Shown as plain text, never rendered: a scraped page must not run in the page's origin.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        var (contentType, _) = Describe(document.Content);
        return contentType.StartsWith("text/", StringComparison.Ordinal)
            ? TypedResults.File(document.Content, contentType)
            : TypedResults.File(document.Content, contentType, SafeFileName(document.FileName, null));
    }

    public static async Task<Results<Accepted<SubmitResponse>, ProblemHttpResult, ValidationProblem>> SubmitAsync(
        HttpContext context,
        string? fileName,
        IOptions<ApiOptions> options,
        IMessageDataRepository messageData,
        IPublishEndpoint publish,
        TimeProvider clock,
        CancellationToken ct)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ApiKey))
        {
            return TypedResults.Problem(
                "Submitting documents over HTTP is switched off: set Api__ApiKey.", statusCode: StatusCodes.Status403Forbidden);
        }

        var given = context.Request.Headers[ApiKeyHeader].ToString();
        if (!ReadAccess.KeyMatches(given, settings.ApiKey))
        {
            context.Response.Headers.WWWAuthenticate = ApiKeyHeader;
            return TypedResults.Problem($"A valid {ApiKeyHeader} header is required.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (context.Request.ContentLength > settings.MaxDocumentBytes)
        {
            return TooLarge(settings.MaxDocumentBytes);
        }

        byte[] content;
        using (var buffer = new MemoryStream())
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > settings.MaxDocumentBytes)
                {
                    return TooLarge(settings.MaxDocumentBytes);
                }

                buffer.Write(chunk, 0, read);
            }

            content = buffer.ToArray();
        }

        if (content.Length == 0)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["The request body (the document) is empty."] },
                title: "The document is not valid.");
        }

        if (fileName is { Length: > 200 })
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["fileName"] = ["'fileName' is longer than 200 characters."] },
                title: "The document is not valid.");
        }

        // Exactly what ingest does with a dropped file: claim check, then DocumentIngested with the content's id.
        var id = DocumentId.FromContent(content);
        var name = SafeFileName(fileName, context.Request.ContentType) is { Length: > 0 } safe
            ? safe
            : $"submitted-{id[..12]}{Extension(context.Request.ContentType)}";
        var claim = await messageData.PutBytes(content, ct);
        await publish.Publish(new DocumentIngested(id, name, claim, clock.GetUtcNow()), ct);
        var url = "/api/documents/" + id;
        return TypedResults.Accepted(url, new SubmitResponse(id, name, "accepted", url));
    }

    private static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem($"The document is larger than {limit:N0} bytes (Api:MaxDocumentBytes).", statusCode: StatusCodes.Status413PayloadTooLarge);

    private static ValidationProblem InvalidId(string id) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { ["id"] = ["A document id is 64 lower-case hex digits (the SHA-256 of the file)."] },
            title: $"'{Truncate(id)}' is not a document id.");

    private static NotFound<ProblemDetails> NotFound(string id) =>
        ReadProblems.NotFound("No such document.", $"No document with id {id} is stored.");

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private static (string ContentType, string? Text) Describe(byte[] content)
    {
        try
        {
            var text = StrictUtf8.GetString(content);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                return ("application/octet-stream", null);
            }

            return ("text/plain; charset=utf-8", content.Length <= MaxRawTextBytes ? text.TrimStart('\uFEFF') : null);
        }
        catch (DecoderFallbackException)
        {
            return ("application/octet-stream", null);
        }
    }

    /// <summary>A bare file name: no folders, no control or path characters.</summary>
    private static string SafeFileName(string? fileName, string? contentType)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return string.Empty;
        }

        var bare = fileName.Replace('\\', '/');
        bare = bare[(bare.LastIndexOf('/') + 1)..];
        var invalid = Path.GetInvalidFileNameChars();
        var clean = new string([.. bare.Where(c => !char.IsControl(c) && !invalid.Contains(c))]).Trim().TrimStart('.');
        if (clean.Length > 0 && !Path.HasExtension(clean))
        {
            clean += Extension(contentType);
        }

        return clean;
    }

    private static string Extension(string? contentType) =>
        contentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true ? ".html" : ".txt";
}
