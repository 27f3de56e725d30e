using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Contracts;
using Pipeline.Storage;

namespace Pipeline.ReadSide;

public sealed record EntityListResponse(IReadOnlyList<EntitySummary> Entities);

internal static class EntityEndpoints
{
    private static readonly string[] Types = [EntityTypes.Person, EntityTypes.Organization, EntityTypes.Location, EntityTypes.Misc];

    public static async Task<Results<Ok<EntityListResponse>, ValidationProblem>> ListAsync(
        string? type, string? q, string? limit, IDocumentQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(type) && !Types.Contains(type, StringComparer.Ordinal))
        {
            errors["type"] = [$"'type' must be one of {string.Join(", ", Types)}."];
        }

        if (q is { Length: > SearchRequest.MaxTextLength })
        {
            errors["q"] = [$"'q' is longer than {SearchRequest.MaxTextLength} characters."];
        }

        var count = 50;
        if (!string.IsNullOrEmpty(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > EntityListQuery.MaxLimit))
        {
            errors["limit"] = [$"'limit' must be a whole number from 1 to {EntityListQuery.MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The entity parameters are not valid.");
        }

        var entities = await queries.ListEntitiesAsync(new EntityListQuery { Type = type, Text = q, Limit = count }, ct);
        return TypedResults.Ok(new EntityListResponse(entities));
    }

    public static async Task<Results<Ok<EntityDetail>, NotFound<ProblemDetails>, ValidationProblem>> GetAsync(
        string id, IDocumentQueries queries, CancellationToken ct)
    {
        // A catch-all route value keeps an encoded slash encoded: names may hold one ("AC/DC").
        var decoded = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (decoded.Length <= StoryEndpoints.MaxRelateIdLength && await queries.GetArchiveEntityAsync(decoded, ct) is { } archived)
        {
            return TypedResults.Ok(archived);
        }

        if (!EntityIds.TryParse(decoded, out var type, out var name) || !Types.Contains(type, StringComparer.Ordinal)
            || name.Length > SearchRequest.MaxTextLength)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["id"] = ["An entity id is an archive entity's id or type:name, e.g. person:Nguyen Phu Trong."] },
                title: "Not an entity id.");
        }

        var entity = await queries.GetEntityAsync(type, name, ct);
        if (entity is null)
        {
            return ReadProblems.NotFound("No such entity.", $"No stored document mentions the {type} '{name}'.");
        }

        return TypedResults.Ok(entity);
    }
}
