using Pipeline.Contracts;

namespace Pipeline.Storage;

/// <summary>What both stores write of a relate decision besides the index: the rows of its entity links.</summary>
internal static class RelationRows
{
    /// <summary>One row per mention linked to an archive entity: body mentions, then title mentions.</summary>
    public static List<(bool InTitle, int Ordinal, string EntityId)> Links(DocumentRelated decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var links = new List<(bool, int, string)>();
        Add(links, inTitle: false, decision.EntityIds);
        Add(links, inTitle: true, decision.TitleEntityIds);
        return links;
    }

    /// <summary>Each entity once (the last description wins), so that an upsert never touches a row twice.</summary>
    public static IReadOnlyCollection<ArchiveEntity> Entities(DocumentRelated decision) =>
        decision.Entities.GroupBy(e => e.EntityId, StringComparer.Ordinal).Select(g => g.Last()).ToList();

    /// <summary>Each record once (the last wins), for the same reason.</summary>
    public static IReadOnlyCollection<Relating.ArchiveRecord> Records(Relating.ArchiveChanges changes) =>
        changes.Records.GroupBy(r => (r.Kind, r.Id)).Select(g => g.Last()).ToList();

    private static void Add(List<(bool, int, string)> links, bool inTitle, IReadOnlyList<string?>? ids)
    {
        for (var i = 0; i < (ids?.Count ?? 0); i++)
        {
            if (ids![i] is { } id)
            {
                links.Add((inTitle, i, id));
            }
        }
    }
}
