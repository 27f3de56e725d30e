namespace Pipeline.Relating;

/// <summary>
/// What the relater knows of the archive: records (a document's sketch, a story, an entity) as JSON by kind and id,
/// and postings from keys (a MinHash band, a word, a name) to record ids, so that candidates come from a lookup and
/// never from a scan. The store keeps it in PostgreSQL or SQLite; <see cref="InMemoryArchiveIndex"/> serves the
/// offline command, benchmarks and tests.
/// </summary>
/// <remarks>
/// One relater decides at a time per index (the store serialises deciders across processes), so reads see every
/// earlier decision and writes of one decision are applied together.
/// </remarks>
public interface IArchiveIndex
{
    /// <summary>The ids posted under each key, newest last, at most <paramref name="limitPerKey"/> of them (the newest).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(
        IReadOnlyCollection<string> keys, int limitPerKey, CancellationToken ct);

    /// <summary>The records of one kind with these ids; ids without a record are left out.</summary>
    Task<IReadOnlyDictionary<string, string>> ReadAsync(string kind, IReadOnlyCollection<string> ids, CancellationToken ct);

    /// <summary>Applies one decision's changes: records replaced whole, postings added (adding one twice is harmless).</summary>
    Task WriteAsync(ArchiveChanges changes, CancellationToken ct);
}

/// <summary>A record of the index: its kind ("document", "story", "entity"…), id and JSON.</summary>
public sealed record ArchiveRecord(string Kind, string Id, string Json);

/// <summary>A posting: <paramref name="Id"/> is found under <paramref name="Key"/>.</summary>
public sealed record ArchivePosting(string Key, string Id);

/// <summary>What one decision writes to the index.</summary>
public sealed record ArchiveChanges(IReadOnlyList<ArchiveRecord> Records, IReadOnlyList<ArchivePosting> Postings);
