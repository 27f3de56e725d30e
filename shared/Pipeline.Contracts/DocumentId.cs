using System.Security.Cryptography;

namespace Pipeline.Contracts;

/// <summary>
/// A document's identity is the SHA-256 of its bytes, so a redelivered message or a re-dropped file
/// always maps to the same record.
/// </summary>
public static class DocumentId
{
    public static string FromContent(ReadOnlySpan<byte> content) =>
        Convert.ToHexStringLower(SHA256.HashData(content));

    public static bool IsValid(string? id) =>
        id is { Length: 64 } && id.All(char.IsAsciiHexDigitLower);
}
