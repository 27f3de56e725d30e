using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>
/// One entity within a document: the mentions the extract stage grouped under one canonical name, with the title's
/// mentions of it. <see cref="Body"/> and <see cref="Title"/> are indexes into the analysis' two mention lists.
/// </summary>
internal sealed class DocumentEntity(EntityName name)
{
    /// <summary>Its fullest name.</summary>
    public EntityName Name { get; private set; } = name;

    /// <summary>All its names as written, titles dropped.</summary>
    public List<EntityName> Names { get; } = [name];

    /// <summary>The role phrases of its mentions, lower case ("ambassador", "general secretary").</summary>
    public HashSet<string> Roles { get; } = new(StringComparer.Ordinal);

    public List<int> Body { get; } = [];

    public List<int> Title { get; } = [];

    /// <summary>
    /// Groups a document's mentions (misc ones too: the tagger calls many a team or a firm so): the body's by the extract stage's canonical
    /// name, each title mention with the body entity its name fits, or as one of its own.
    /// </summary>
    public static List<DocumentEntity> Group(IReadOnlyList<EntityMention> body, IReadOnlyList<EntityMention> title)
    {
        var entities = new List<DocumentEntity>();
        var byCanonical = new Dictionary<(string, string), DocumentEntity>();
        for (int i = 0; i < body.Count; i++)
        {
            var m = body[i];
            var key = (m.Type, m.Canonical ?? m.Text);
            if (!byCanonical.TryGetValue(key, out var entity))
            {
                byCanonical[key] = entity = new DocumentEntity(EntityName.Parse(key.Item2, m.Type, m.Roles));
                entities.Add(entity);
            }

            entity.Add(EntityName.Parse(m.Text, m.Type, m.Roles));
            entity.Roles.UnionWith((m.Roles ?? []).Select(r => r.ToLowerInvariant()));
            entity.Body.Add(i);
        }

        entities = MergeShortForms(entities);
        for (int i = 0; i < title.Count; i++)
        {
            var m = title[i];
            var name = EntityName.Parse(m.Text, m.Type, m.Roles);
            var entity = entities
                .Select(e => (Entity: e, Match: e.Names.Max(n => n.Compare(name))))
                .Where(c => c.Match >= NameMatch.Partial && !c.Entity.Names.Any(n => n.Compare(name) == NameMatch.Conflict))
                .OrderByDescending(c => c.Match)
                .ThenByDescending(c => c.Entity.Body.Count)
                .Select(c => c.Entity)
                .FirstOrDefault();
            if (entity is null)
            {
                entity = new DocumentEntity(name);
                entities.Add(entity);
            }

            entity.Add(name);
            entity.Title.Add(i);
        }

        return entities;
    }

    /// <summary>
    /// Folds a body entity that is a short form of exactly one other of the document's entities of a kind it may share
    /// ("Chiefs" of "Kansas City Chiefs", "Red Sox" of "Boston Red Sox"; a person's "Fred LaRue" of "Frederick C.
    /// LaRue") into it: the extract stage groups a person's surname with the full name, not a team's or a firm's short
    /// name, nor a short given name with the full one.
    /// </summary>
    private static List<DocumentEntity> MergeShortForms(List<DocumentEntity> entities)
    {
        static bool IsShortFormOf(EntityName name, EntityName longer) => name.IsPerson
            ? longer.IsPerson && name.Words.Length > 1 && name.Compare(longer) == NameMatch.Initials
            : EntityName.SameKind(name.Type, longer.Type) && name.Compare(longer) == NameMatch.Partial;

        // Longest first, so that "Sox", "Red Sox" and "Boston Red Sox" all end in the last.
        var folded = new HashSet<DocumentEntity>(ReferenceEqualityComparer.Instance);
        foreach (var entity in entities.OrderByDescending(e => e.Name.Words.Length))
        {
            var longer = entities
                .Where(other => !folded.Contains(other) && other.Name.Words.Length > entity.Name.Words.Length
                    && IsShortFormOf(entity.Name, other.Name))
                .Take(2)
                .ToList();
            if (longer is [var target])
            {
                foreach (var name in entity.Names)
                {
                    target.Add(name);
                }

                target.Roles.UnionWith(entity.Roles);
                target.Body.AddRange(entity.Body);
                folded.Add(entity);
            }
        }

        return [.. entities.Where(e => !folded.Contains(e))];
    }

    private void Add(EntityName name)
    {
        if (Names.Any(n => n.Key == name.Key))
        {
            return;
        }

        Names.Add(name);
        if (name.Words.Length > Name.Words.Length)
        {
            Name = name;
        }
    }
}
