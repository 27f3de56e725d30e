using System.Text;

namespace Pipeline.Relating;

/// <summary>An <see cref="IArchiveIndex"/> in the process's memory: the offline command, benchmarks and tests.</summary>
/// <remarks>
/// Records are kept as UTF-8 (half the bytes of a string) and postings without a second set of pairs, so that an
/// archive of 100,000 documents is a heap the GC can still walk quickly.
/// </remarks>
public sealed class InMemoryArchiveIndex : IArchiveIndex
{
    private readonly Dictionary<(string Kind, string Id), byte[]> _records = [];
    private readonly Dictionary<string, Postings> _postings = new(StringComparer.Ordinal);
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
                if (_postings.TryGetValue(key, out var postings))
                {
                    found[key] = postings.Newest(limitPerKey);
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
                    found[id] = Encoding.UTF8.GetString(json);
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
                _records[(record.Kind, record.Id)] = Encoding.UTF8.GetBytes(record.Json);
            }

            foreach (var posting in changes.Postings)
            {
                if (!_postings.TryGetValue(posting.Key, out var postings))
                {
                    _postings[posting.Key] = postings = new Postings();
                }

                postings.Add(posting.Id);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The ids under one key, oldest first, each once; a set to find them by only once there are many.</summary>
    private sealed class Postings
    {
        private const int ScannedIds = 16;

        private readonly List<string> _ids = [];
        private HashSet<string>? _set;

        public void Add(string id)
        {
            if (_set?.Contains(id) ?? _ids.Contains(id))
            {
                return;
            }

            _ids.Add(id);
            if (_set is not null)
            {
                _set.Add(id);
            }
            else if (_ids.Count > ScannedIds)
            {
                _set = new HashSet<string>(_ids, StringComparer.Ordinal);
            }
        }

        public List<string> Newest(int limit) => _ids.Count <= limit ? [.. _ids] : _ids.GetRange(_ids.Count - limit, limit);
    }
}
