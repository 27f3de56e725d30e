using System.Collections.Concurrent;
using MassTransit;

namespace Pipeline.Hosting;

/// <summary>
/// Claim checks kept in the process's memory, for the in-memory transport, where every stage runs in this one
/// process. The raw file is handed from stage to stage as the same array instead of being written to a file and
/// read back twice: in <c>pipeline run</c> that file traffic cost about a tenth of the CPU; keeping the arrays
/// instead raises the memory peak (docs/benchmarks.md, Notes). Nothing is less durable than with files: the
/// in-memory transport's messages that point here are gone with the process too, and ingest has kept the file.
/// </summary>
public sealed class InMemoryClaimChecks : IMessageDataRepository, IClaimChecks
{
    private const string Scheme = "urn";
    private const string Prefix = "memory:";

    private readonly ConcurrentDictionary<Uri, byte[]> _values = new();

    /// <summary>Claim checks held now: those of documents in flight, and of documents that failed.</summary>
    public int Count => _values.Count;

    public Task<Stream> Get(Uri address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _values.TryGetValue(address, out var value)
            ? Task.FromResult<Stream>(new MemoryStream(value, writable: false))
            : throw new MessageDataNotFoundException(address);
    }

    public async Task<Uri> Put(Stream stream, TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // Sized up front where the stream knows its length, so the buffer is the value: a growing buffer would
        // allocate and copy about three times the file.
        using var copy = new MemoryStream(stream.CanSeek ? (int)(stream.Length - stream.Position) : 0);
        await stream.CopyToAsync(copy, cancellationToken);
        var address = new Uri($"{Scheme}:{Prefix}{Guid.NewGuid():N}");
        _values[address] = copy.Length == copy.Capacity ? copy.GetBuffer() : copy.ToArray();
        return address;
    }

    public void Remove(Uri? address)
    {
        if (address is { Scheme: Scheme } && address.AbsolutePath.StartsWith(Prefix, StringComparison.Ordinal))
        {
            _values.TryRemove(address, out _);
        }
    }
}
