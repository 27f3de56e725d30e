using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Cli;

/// <summary>
/// The CLI's output contract: one JSON object per input per line, camelCase names. Scripts depend on it:
/// add members, never rename or remove them.
/// </summary>
internal static class JsonLines
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static void Write<T>(TextWriter output, T value) => output.WriteLine(Serialize(value));
}
