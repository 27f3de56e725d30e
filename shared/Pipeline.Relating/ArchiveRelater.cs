using System.Globalization;
using Pipeline.Contracts;

namespace Pipeline.Relating;

/// <summary>
/// The relate stage's core: decides for a stored document the article it reprints, the story it reports and the
/// archive-wide identity of each entity it names. Pure: everything it knows is in the <see cref="IArchiveIndex"/>,
/// read in a few batched calls (the document, word counts, one lookup of all posting keys, then the candidate
/// copies, stories and entities) and written in one <see cref="IArchiveIndex.WriteAsync"/>. A document decided
/// before gets its stored decision back and nothing is written, so a redelivery changes nothing.
/// </summary>
public sealed class ArchiveRelater(TimeProvider clock)
{
    /// <summary>The newest ids read per posting key: bounds the work per document however large the archive.</summary>
    public const int PostingsPerKey = 40;

    /// <summary>
    /// The most characters of a text that are compared (about 30,000 words): a book or a data dump is related by its
    /// beginning, so that time and memory stay bounded (the store keeps and indexes it whole).
    /// </summary>
    public const int MaxComparedLength = 200_000;

    public ArchiveRelater()
        : this(TimeProvider.System)
    {
    }

    public async Task<DocumentRelated> RelateAsync(RelateInput input, IArchiveIndex index, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(index);
        var stored = await index.ReadAsync(RecordKinds.Document, [input.DocumentId], ct);
        if (stored.TryGetValue(input.DocumentId, out var decided))
        {
            return RelaterJson.Read<DocumentRelated>(decided);
        }

        // The title counts as part of the text: the clean stage may have taken a reprint's only lines as its title.
        var words = TitleWords(input).Concat(Words.Of(ComparedText(input.Text))).ToList();
        var sketch = ShingleSketch.Of(words);
        var entities = DocumentEntity.Group(input.Entities, input.TitleEntities);
        var terms = TermVectors.Terms(words).ToList();
        var distinctTerms = terms.Distinct().ToList();
        var counts = await index.ReadAsync(RecordKinds.Term, [.. distinctTerms, RecordKinds.DocumentCount], ct);
        var frequency = counts.ToDictionary(c => c.Key, c => int.Parse(c.Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        int documents = frequency.GetValueOrDefault(RecordKinds.DocumentCount);
        var features = Features(input, terms, frequency, documents, entities);

        var found = await index.FindAsync(
            [.. sketch.BandKeys(), .. StoryClusterer.LookupKeys(features), .. EntityResolver.LookupKeys(entities)],
            PostingsPerKey,
            ct);

        // A copy: the earliest one it reprints, and that one's story.
        var copies = await index.ReadAsync(RecordKinds.Sketch, DuplicateFinder.Candidates(sketch, found), ct);
        string? headline = DuplicateFinder.Headline(input.Title);
        var duplicate = DuplicateFinder.Find(sketch, headline, RelaterJson.ReadAll<SketchRecord>(copies).Values);
        string? original = duplicate is { } d ? d.Copy.Original ?? d.Copy.DocumentId : null;

        var storyIds = StoryClusterer.Candidates(features, found);
        if (duplicate is { } copy && !storyIds.Contains(copy.Copy.StoryId))
        {
            storyIds.Add(copy.Copy.StoryId);
        }

        var stories = RelaterJson.ReadAll<StoryRecord>(await index.ReadAsync(RecordKinds.Story, storyIds, ct));
        StoryRecord? joined;
        StoryEvidence storyEvidence;
        if (duplicate is { } reprint && stories.TryGetValue(reprint.Copy.StoryId, out var originalStory))
        {
            (joined, storyEvidence) = (originalStory, StoryClusterer.Reprint(features, originalStory));
        }
        else
        {
            (joined, storyEvidence) = StoryClusterer.Choose(features, stories.Values.ToList());
        }

        var story = StoryClusterer.Add(joined, string.Create(CultureInfo.InvariantCulture, $"s-{Fingerprint.Of(input.DocumentId):x12}"), features);

        var candidateEntities = entities.SelectMany(e => EntityResolver.Candidates(e, found)).Distinct().ToList();
        var known = RelaterJson.ReadAll<EntityRecord>(await index.ReadAsync(RecordKinds.Entity, candidateEntities, ct));
        var resolved = EntityResolver.Resolve(input.DocumentId, story.StoryId, entities, found, known);

        var related = new DocumentRelated(
            input.DocumentId,
            story.StoryId,
            original,
            Ids(input.Entities.Count, entities, resolved, e => e.Body),
            Ids(input.TitleEntities.Count, entities, resolved, e => e.Title),
            // Two of the document's entities may be one archive entity: the later record has both updates.
            resolved.AsEnumerable().Reverse().DistinctBy(r => r.Record.EntityId).Reverse().Select(r => EntityResolver.ToContract(r.Record, r.Rule)).ToList(),
            new RelationEvidence(duplicate?.Evidence, storyEvidence),
            clock.GetUtcNow());

        await index.WriteAsync(Changes(input, related, sketch, headline, story, features, entities, resolved, distinctTerms, frequency, documents), ct);
        return related;
    }

    /// <summary>The title's words when the text does not begin with the title already.</summary>
    private static List<string> TitleWords(RelateInput input) =>
        input.Text.StartsWith(input.Title, StringComparison.Ordinal) ? [] : Words.Of(input.Title);

    private static StoryFeatures Features(
        RelateInput input, List<string> terms, Dictionary<string, int> frequency, int documents, List<DocumentEntity> entities)
    {
        var names = new Dictionary<string, double>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entity in entities.Where(e => e.Name.StoryKey.Length > 0))
        {
            string key = entity.Name.StoryKey;
            names[key] = names.GetValueOrDefault(key) + entity.Body.Count + entity.Title.Count;
            texts.TryAdd(key, entity.Name.Text);
        }

        foreach (var key in names.Keys)
        {
            names[key] = StoryClusterer.MentionsWeight(key, names[key]);
        }

        var roles = entities
            .Where(e => e.Name.IsPerson && e.Name.StoryKey.Length > 0)
            .SelectMany(e => e.Roles.Select(role => (Role: role, Holder: e.Name.StoryKey)))
            .GroupBy(r => r.Role, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Holder).Distinct().ToList(), StringComparer.Ordinal);
        return new StoryFeatures(TermVectors.TfIdf(terms, frequency, documents), names, texts, StoryClusterer.Day(input.PublishedOn), roles);
    }

    /// <summary>Per mention of one list, the archive id of the document entity it belongs to (null for misc mentions).</summary>
    private static List<string?> Ids(
        int mentions, List<DocumentEntity> entities, List<(EntityRecord Record, string Rule)> resolved, Func<DocumentEntity, List<int>> of)
    {
        var ids = new string?[mentions];
        for (int i = 0; i < entities.Count; i++)
        {
            foreach (int m in of(entities[i]))
            {
                ids[m] = resolved[i].Record.EntityId;
            }
        }

        return [.. ids];
    }

    private static ArchiveChanges Changes(
        RelateInput input,
        DocumentRelated related,
        ShingleSketch sketch,
        string? headline,
        StoryRecord story,
        StoryFeatures features,
        List<DocumentEntity> entities,
        List<(EntityRecord Record, string Rule)> resolved,
        List<string> terms,
        Dictionary<string, int> frequency,
        int documents)
    {
        var records = new List<ArchiveRecord>
        {
            new(RecordKinds.Document, input.DocumentId, RelaterJson.Write(related)),
            new(RecordKinds.Sketch, input.DocumentId, RelaterJson.Write(SketchRecord.Create(input.DocumentId, sketch.Shingles, related.DuplicateOf, story.StoryId, headline))),
            new(RecordKinds.Story, story.StoryId, RelaterJson.Write(story)),
            new(RecordKinds.Term, RecordKinds.DocumentCount, (documents + 1).ToString(CultureInfo.InvariantCulture)),
        };
        records.AddRange(terms.Select(t => new ArchiveRecord(RecordKinds.Term, t, (frequency.GetValueOrDefault(t) + 1).ToString(CultureInfo.InvariantCulture))));
        records.AddRange(resolved.Select(r => r.Record).Reverse().DistinctBy(r => r.EntityId).Select(r => new ArchiveRecord(RecordKinds.Entity, r.EntityId, RelaterJson.Write(r))));

        var postings = new List<ArchivePosting>();
        postings.AddRange(sketch.BandKeys().Select(k => new ArchivePosting(k, input.DocumentId)));
        postings.AddRange(StoryClusterer.Postings(story.StoryId, features));
        postings.AddRange(entities.Zip(resolved).SelectMany(p => EntityResolver.Postings(p.First, p.Second.Record)));
        return new ArchiveChanges(records, postings);
    }

    private static string ComparedText(string text) => text.Length <= MaxComparedLength ? text : text[..MaxComparedLength];
}
