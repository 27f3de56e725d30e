using System.Text.Json;

namespace Pipeline.Relating;

/// <summary>How the relater's records are written to the index: camelCase JSON, as the rest of the pipeline writes.</summary>
internal static class RelaterJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"the index holds a null {typeof(T).Name}");

    public static Dictionary<string, T> ReadAll<T>(IReadOnlyDictionary<string, string> records) =>
        records.ToDictionary(r => r.Key, r => Read<T>(r.Value), StringComparer.Ordinal);
}
