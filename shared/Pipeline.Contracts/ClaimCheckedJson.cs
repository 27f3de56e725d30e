using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using MassTransit;

namespace Pipeline.Contracts;

/// <summary>A part of a message that travels as a claim check, written as JSON.</summary>
public static class ClaimCheckedJson
{
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web);

    /// <summary>
    /// Whether a message carries this claim check: MassTransit gives a message-data member that was null when sent an
    /// empty value when received.
    /// </summary>
    public static bool IsPresent([NotNullWhen(true)] MessageData<byte[]>? body) => body is { HasValue: true };

    /// <summary>
    /// Whether reading a claim check failed because it is gone: the store removes a document's claim checks once the
    /// document is committed (a file of the shared folder, or an entry of one process's memory).
    /// </summary>
    public static bool IsGone(Exception error) =>
        error?.GetBaseException() is FileNotFoundException or DirectoryNotFoundException or MessageDataNotFoundException;

    /// <summary>The value behind the claim check, or <paramref name="inline"/> when there is none.</summary>
    public static async Task<T> ReadAsync<T>(MessageData<byte[]>? body, T inline)
    {
        if (!IsPresent(body))
        {
            return inline;
        }

        return JsonSerializer.Deserialize<T>(await body.Value, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"the claim check {body.Address} holds no {typeof(T).Name}");
    }
}
