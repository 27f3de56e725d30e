namespace Pipeline.Relating;

/// <summary>An <see cref="IArchiveIndex"/> in the process's memory: the offline command, benchmarks and tests.</summary>
public sealed class InMemoryArchiveIndex : IArchiveIndex
{
    private readonly Dictionary<(string Kind, string Id), string> _records = [];
    private readonly Dictionary<string, List<string>> _postings = new(StringComparer.Ordinal);
    private readonly HashSet<(string Key, string Id)> _posted = [];
    private readonly Lock _gate = new();

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(
        IReadOnlyCollection<string> keys, int limitPerKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (_postings.TryGetValue(key, out var ids))
                {
                    found[key] = ids.Count <= limitPerKey ? [.. ids] : ids.GetRange(ids.Count - limitPerKey, limitPerKey);
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(found);
    }

    public Task<IReadOnlyDictionary<string, string>> ReadAsync(string kind, IReadOnlyCollection<string> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in ids)
            {
                if (_records.TryGetValue((kind, id), out var json))
                {
                    found[id] = json;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(found);
    }

    public Task WriteAsync(ArchiveChanges changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            foreach (var record in changes.Records)
            {
                _records[(record.Kind, record.Id)] = record.Json;
            }

            foreach (var posting in changes.Postings)
            {
                if (_posted.Add((posting.Key, posting.Id)))
                {
                    if (!_postings.TryGetValue(posting.Key, out var ids))
                    {
                        _postings[posting.Key] = ids = [];
                    }

                    ids.Add(posting.Id);
                }
            }
        }

        return Task.CompletedTask;
    }
}
