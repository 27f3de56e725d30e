using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Storage;

namespace Pipeline.ReadSide;

/// <summary>A page of stories, the one with the latest report first.</summary>
public sealed record StoryListResponse(long Total, int Page, int PageSize, long Pages, IReadOnlyList<StorySummary> Stories);

internal static class StoryEndpoints
{
    /// <summary>
    /// Longer than any story or archive entity id the relate stage makes; bounds what a caller can make the store compare.
    /// </summary>
    public const int MaxRelateIdLength = 200;

    public static async Task<Results<Ok<StoryListResponse>, ValidationProblem>> ListAsync(
        string? page, string? pageSize, IDocumentQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var number = SearchRequest.ParseInt(page, "page", 1, 1, SearchRequest.MaxPage, errors);
        var size = SearchRequest.ParseInt(pageSize, "pageSize", 20, 1, StoryListQuery.MaxLimit, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The story list parameters are not valid.");
        }

        var result = await queries.ListStoriesAsync(new StoryListQuery { Offset = (number - 1) * size, Limit = size }, ct);
        return TypedResults.Ok(new StoryListResponse(result.Total, number, size, SearchRequest.PageCount(result.Total, size), result.Stories));
    }

    public static async Task<Results<Ok<StoryDetail>, NotFound<ProblemDetails>, ValidationProblem>> GetAsync(
        string id, IDocumentQueries queries, CancellationToken ct)
    {
        if (id.Length > MaxRelateIdLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["id"] = [$"A story id is at most {MaxRelateIdLength} characters."] },
                title: "Not a story id.");
        }

        var story = await queries.GetStoryAsync(id, ct);
        if (story is null)
        {
            return ReadProblems.NotFound("No such story.", $"No related document is in the story '{id}'.");
        }

        return TypedResults.Ok(story);
    }
}
