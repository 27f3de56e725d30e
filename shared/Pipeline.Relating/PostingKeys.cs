namespace Pipeline.Relating;

/// <summary>
/// The index's record kinds and the prefixes of its posting keys. The store keeps them as they are: a key is at
/// most a prefix and a 16-digit hash, a word, or a folded name.
/// </summary>
public static class PostingKeys
{
    /// <summary>"d:{band}:{hash}" → documents whose MinHash band has that hash.</summary>
    public const string Band = "d:";

    /// <summary>"sw:{word}" → stories that have the word among their documents' most telling ones.</summary>
    public const string StoryWord = "sw:";

    /// <summary>"sn:{name key}" → stories that name the entity.</summary>
    public const string StoryName = "sn:";

    /// <summary>"en:{name key}" → entities known by a name with that key (a surname, a full name, a first word, an acronym).</summary>
    public const string EntityName = "en:";

    /// <summary>
    /// The ids found under the most of <paramref name="keys"/>, at most <paramref name="limit"/>, the most shared first
    /// (ties by id, so that the choice does not depend on the order of the lookup's rows).
    /// </summary>
    public static List<string> MostShared(IEnumerable<string> keys, IReadOnlyDictionary<string, IReadOnlyList<string>> found, int limit) =>
        keys.SelectMany(key => found.TryGetValue(key, out var ids) ? ids : [])
            .CountBy(id => id)
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(limit)
            .Select(c => c.Key)
            .ToList();
}

/// <summary>The kinds of record the relater keeps in the index.</summary>
public static class RecordKinds
{
    /// <summary>The decision for a document (<see cref="Contracts.DocumentRelated"/> as JSON), by document id.</summary>
    public const string Document = "document";

    /// <summary>A document's 5-grams and MinHash signature, with its original and story (<c>SketchRecord</c>).</summary>
    public const string Sketch = "sketch";

    /// <summary>A story's centroid, names and dates (<c>StoryRecord</c>), by story id.</summary>
    public const string Story = "story";

    /// <summary>An entity's names, type, stories and companions (<c>EntityRecord</c>), by entity id.</summary>
    public const string Entity = "entity";

    /// <summary>How many documents have a word, by word; the id <see cref="DocumentCount"/> holds the number of documents.</summary>
    public const string Term = "term";

    public const string DocumentCount = "#documents";
}
