using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>How the relater's records are written to the index: camelCase JSON, as the rest of the pipeline writes.</summary>
internal static class RelaterJson
{
    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Info<T>());

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize(json, Info<T>()) ?? throw new InvalidDataException($"the index holds a null {typeof(T).Name}");

    public static Dictionary<string, T> ReadAll<T>(IReadOnlyDictionary<string, string> records) =>
        records.ToDictionary(r => r.Key, r => Read<T>(r.Value), StringComparer.Ordinal);

    private static JsonTypeInfo<T> Info<T>() =>
        (JsonTypeInfo<T>)(RelaterJsonContext.Default.GetTypeInfo(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not a record of the index"));
}

/// <summary>
/// Generated serializers: every decision reads a score of stories and entities, and the generated code reads them
/// several times faster than reflection.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DocumentRelated))]
[JsonSerializable(typeof(SketchRecord))]
[JsonSerializable(typeof(StoryRecord))]
[JsonSerializable(typeof(EntityRecord))]
internal sealed partial class RelaterJsonContext : JsonSerializerContext;
