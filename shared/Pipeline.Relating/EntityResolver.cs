using System.Globalization;
using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>
/// Gives each entity of a document its archive-wide identity. Candidates come from name-key postings; a full name
/// or fitting initials link on the name alone, a surname, a short form or an acronym only where the context agrees
/// (the entity is already in the document's story, or named beside the document's other entities); given names
/// that disagree never link ("Mary Smith" is not "John Smith"). Ids are never changed once given.
/// </summary>
internal static class EntityResolver
{
    /// <summary>How many names, stories and companions an entity record keeps: the newest, so that it stays bounded.</summary>
    public const int MaxNames = 24;
    public const int MaxStories = 24;
    public const int MaxCompanions = 48;

    /// <summary>Companions a partial name must share with an entity outside its story.</summary>
    public const int MinSharedCompanions = 2;

    /// <summary>
    /// The newest entities read per name key: a common word of names ("New", "Party") posts thousands, and reading
    /// them all would make a decision's cost grow with the archive.
    /// </summary>
    public const int CandidatesPerKey = 8;

    /// <summary>
    /// The same for a person's surname: more, so that one report naming a family (an obituary's nine LaRues) does not
    /// crowd the person out of the surname's newest.
    /// </summary>
    public const int CandidatesPerSurname = 16;

    public static IEnumerable<string> LookupKeys(IEnumerable<DocumentEntity> entities) =>
        entities.SelectMany(e => e.Names).SelectMany(n => n.Keys()).Distinct().Select(k => PostingKeys.EntityName + k);

    /// <summary>The ids of the entities a document entity is compared with: the newest few under each of its keys.</summary>
    public static IEnumerable<string> Candidates(DocumentEntity entity, IReadOnlyDictionary<string, IReadOnlyList<string>> found) =>
        entity.Names.SelectMany(n => n.Keys().Select(k => (Key: k, Limit: n.IsPerson ? CandidatesPerSurname : CandidatesPerKey)))
            .DistinctBy(k => k.Key)
            .SelectMany(k => found.TryGetValue(PostingKeys.EntityName + k.Key, out var ids) ? ids.TakeLast(k.Limit) : [])
            .Distinct();

    /// <summary>One entity record (new or updated) and the rule that chose it, per document entity.</summary>
    public static List<(EntityRecord Record, string Rule)> Resolve(
        string documentId,
        string storyId,
        IReadOnlyList<DocumentEntity> entities,
        IReadOnlyDictionary<string, IReadOnlyList<string>> found,
        IReadOnlyDictionary<string, EntityRecord> known)
    {
        var storyKeys = entities.Select(e => e.Name.StoryKey).Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
        var chosen = new Dictionary<string, EntityRecord>(StringComparer.Ordinal);
        // Each candidate's names parsed once: one entity is a candidate for many of the document's entities.
        var parsed = new Dictionary<EntityRecord, List<EntityName>>(ReferenceEqualityComparer.Instance);
        List<EntityName> NamesOf(EntityRecord record)
        {
            if (!parsed.TryGetValue(record, out var names))
            {
                parsed[record] = names = [.. record.Names.Select(n => EntityName.Parse(n, record.Type))];
            }

            return names;
        }

        var result = new List<(EntityRecord, string)>();
        for (int i = 0; i < entities.Count; i++)
        {
            var entity = entities[i];
            var candidates = Candidates(entity, found)
                .Select(id => chosen.GetValueOrDefault(id) ?? known.GetValueOrDefault(id))
                .OfType<EntityRecord>();
            var companions = storyKeys.Where(k => k != entity.Name.StoryKey).ToHashSet(StringComparer.Ordinal);
            var compatible = candidates
                .Select(record => (Record: record, Names: NamesOf(record)))
                .Select(c => (c.Record, Match: Match(entity, c.Names), Full: c.Names.Max(n => entity.Name.Compare(n)), Context: Context(c.Record, storyId, companions)))
                // A partial name joins an entity of its own kind only: "United Russia" (a party) is not "Russia".
                .Where(c => c.Match > NameMatch.Conflict && (c.Match == NameMatch.Exact || EntityName.SameKind(c.Record.Type, entity.Name.Type)))
                .ToList();
            // A bare surname outside its context still names the one person the archive knows by it.
            bool onlyOne = compatible.Count == 1 && IsBareSurname(entity, compatible[0].Record);
            var best = compatible
                .Where(c => (c.Match >= NameMatch.Initials && !IsBareSurname(entity, c.Record)) || c.Context > 0 || onlyOne)
                .OrderByDescending(c => c.Full)
                .ThenByDescending(c => c.Match)
                .ThenByDescending(c => c.Context)
                .ThenByDescending(c => c.Record.Mentions)
                .ThenBy(c => c.Record.EntityId, StringComparer.Ordinal)
                .FirstOrDefault();

            EntityRecord record;
            string rule;
            if (best.Record is null)
            {
                string id = string.Create(CultureInfo.InvariantCulture, $"e-{Fingerprint.Of(documentId):x12}-{i}");
                record = new EntityRecord(id, entity.Name.Text, entity.Name.Type, [], [], [], 0);
                rule = "new entity";
            }
            else
            {
                record = best.Record;
                rule = best.Match switch
                {
                    NameMatch.Exact when best.Context == 0 => "exact name",
                    NameMatch.Exact => "exact name, same context",
                    NameMatch.Initials => "initials fit the given names",
                    _ when best.Context >= 1 => "partial name, same story",
                    _ when best.Context > 0 => "partial name, shared companions",
                    _ => "surname of the only person known by it",
                };
            }

            record = Update(record, entity, storyId, companions);
            chosen[record.EntityId] = record;
            result.Add((record, rule));
        }

        return result;
    }

    public static IEnumerable<ArchivePosting> Postings(DocumentEntity entity, EntityRecord record) =>
        entity.Names.SelectMany(n => n.Keys()).Distinct().Select(k => new ArchivePosting(PostingKeys.EntityName + k, record.EntityId));

    public static ArchiveEntity ToContract(EntityRecord record, string rule) =>
        new(record.EntityId, record.Name, record.Type, record.Names.Where(n => n != record.Name).ToList(), rule);

    /// <summary>
    /// The strongest way any of the document's names fits any of the entity's, or a conflict if any pair conflicts,
    /// unless one full name is the same in both: the document called its entity by the other name too ("Mo Cheeks",
    /// "Maurice Cheeks"), and that says who it is better than a given name the resolver cannot expand.
    /// </summary>
    private static NameMatch Match(DocumentEntity entity, List<EntityName> names)
    {
        var best = NameMatch.None;
        bool conflict = false, sameFullName = false;
        foreach (var name in names)
        {
            foreach (var own in entity.Names)
            {
                var match = own.Compare(name);
                conflict |= match == NameMatch.Conflict;
                sameFullName |= match == NameMatch.Exact && own.Words.Length > 1;
                best = match > best ? match : best;
            }
        }

        return conflict && !sameFullName ? NameMatch.Conflict : best;
    }

    /// <summary>
    /// A one-word person's name ("Reid") names many people across an archive: it links only where the context agrees,
    /// even when the entity too was only ever called so.
    /// </summary>
    private static bool IsBareSurname(DocumentEntity entity, EntityRecord record) =>
        (entity.Name.IsPerson || record.Type == EntityTypes.Person) && entity.Name.Words.Length == 1;

    /// <summary>1 when the entity is in the story already; otherwise the share of enough shared companions (0 when too few).</summary>
    private static double Context(EntityRecord record, string storyId, HashSet<string> companions)
    {
        if (record.Stories.Contains(storyId))
        {
            return 1;
        }

        int shared = record.Companions.Count(companions.Contains);
        return shared >= MinSharedCompanions ? (double)shared / (shared + 1) / 2 : 0;
    }

    private static EntityRecord Update(EntityRecord record, DocumentEntity entity, string storyId, HashSet<string> companions)
    {
        var names = record.Names.ToList();
        foreach (var name in entity.Names.Select(n => n.Text).Prepend(entity.Name.Text))
        {
            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        // The fullest name first; among equals, the one it went by first.
        var fullest = names.OrderByDescending(n => EntityName.Parse(n, record.Type).Words.Length).First();
        return record with
        {
            Name = fullest,
            Names = [.. names.OrderByDescending(n => n == fullest).Take(MaxNames)],
            Stories = Newest(record.Stories, [storyId], MaxStories),
            Companions = Newest(record.Companions, companions, MaxCompanions),
            Mentions = record.Mentions + entity.Body.Count + entity.Title.Count,
        };
    }

    /// <summary>The list with the items appended (each once, moved to the end if present), the newest <paramref name="max"/> kept.</summary>
    private static List<string> Newest(List<string> list, IEnumerable<string> items, int max)
    {
        var added = items.ToHashSet(StringComparer.Ordinal);
        var result = list.Where(x => !added.Contains(x)).Concat(added.Order(StringComparer.Ordinal)).ToList();
        return result.Count > max ? result[^max..] : result;
    }
}
