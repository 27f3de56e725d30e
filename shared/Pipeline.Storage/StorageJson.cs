using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>JSON for the columns that hold structured values (metadata, roles, relation evidence, aliases).</summary>
internal static class StorageJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Metadata(ArticleMetadata? metadata) => JsonSerializer.Serialize(metadata ?? ArticleMetadata.Empty, Options);

    public static ArticleMetadata ReadMetadata(string json) =>
        JsonSerializer.Deserialize<ArticleMetadata>(json, Options) ?? ArticleMetadata.Empty;

    public static string? Roles(IReadOnlyList<string>? roles) => roles is null ? null : JsonSerializer.Serialize(roles, Options);

    public static IReadOnlyList<string>? ReadRoles(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<string[]>(json, Options) ?? [];

    public static RelationEvidence ReadEvidence(string json) =>
        JsonSerializer.Deserialize<RelationEvidence>(json, Options)
        ?? throw new JsonException("A document's relation evidence is null.");

    public static IReadOnlyList<string> ReadNames(string json) => JsonSerializer.Deserialize<string[]>(json, Options) ?? [];

    public static string? Mentions(IReadOnlyList<EntityMention>? mentions) =>
        mentions is null ? null : JsonSerializer.Serialize(mentions, Options);

    public static IReadOnlyList<EntityMention>? ReadMentions(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<EntityMention[]>(json, Options) ?? [];

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
