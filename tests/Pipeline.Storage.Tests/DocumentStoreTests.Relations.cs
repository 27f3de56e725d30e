using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Relating;

namespace Pipeline.Storage.Tests;

/// <summary>What the relate stage keeps in the store: the title's mentions, the relater's index and its decisions.</summary>
public abstract partial class DocumentStoreTests
{
    private static readonly HashSet<string> Tables =
    [
        "documents", "entities", "keywords", "archive_records", "archive_postings", "document_relations", "entity_links", "archive_entities",
    ];

    /// <summary>SQL that counts a table's rows: only the store's own tables, named here.</summary>
    protected static string CountRowsSql(string table) =>
        Tables.Contains(table) ? "SELECT count(*) FROM " + table : throw new ArgumentOutOfRangeException(nameof(table));

    [Fact]
    public async Task Title_mentions_are_stored_and_read_back()
    {
        var document = TestDocuments.Create("Putin meets Trong", "The two leaders met in Moscow.");
        document = document with
        {
            Analysis = document.Analysis with
            {
                TitleEntities = [new EntityMention(EntityTypes.Person, "Putin", 0, 5), new EntityMention(EntityTypes.Person, "Trong", 12, 17)],
            },
        };
        await Store.UpsertAsync(document, Ct);

        var stored = await Store.GetAsync(document.DocumentId, Ct);

        Assert.Equal(document.Analysis.TitleEntities, stored!.TitleEntities);
        Assert.Equal(document.Analysis.TitleEntities, stored.ToProcessedDocument().Analysis.TitleEntities);
    }

    [Fact]
    public async Task The_archive_index_finds_the_newest_postings_and_replaces_records()
    {
        var decision = await StoredDecisionAsync();
        await Store.RelateAsync(
            async (index, ct) =>
            {
                await index.WriteAsync(
                    new ArchiveChanges(
                        [new ArchiveRecord("story", "s1", "{\"v\":1}"), new ArchiveRecord("story", "s1", "{\"v\":2}")],
                        [new ArchivePosting("w:rice", "d1"), new ArchivePosting("w:rice", "d2"), new ArchivePosting("w:rice", "d3"),
                         new ArchivePosting("w:rice", "d1"), new ArchivePosting("w:port", "d2")]),
                    ct);
                return decision;
            },
            Ct);

        await Store.RelateAsync(
            async (index, ct) =>
            {
                var found = await index.FindAsync(["w:rice", "w:port", "w:none"], 2, ct);
                Assert.Equal(["d2", "d3"], found["w:rice"]);
                Assert.Equal(["d2"], found["w:port"]);
                Assert.False(found.ContainsKey("w:none"));
                var records = await index.ReadAsync("story", ["s1", "s2"], ct);
                Assert.Equal("{\"v\":2}", Assert.Single(records).Value);
                return decision;
            },
            Ct);
    }

    [Fact]
    public async Task A_decision_that_fails_writes_nothing()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.RelateAsync(
            async (index, ct) =>
            {
                await index.WriteAsync(new ArchiveChanges([new ArchiveRecord("story", "s1", "{}")], [new ArchivePosting("w:rice", "d1")]), ct);
                throw new InvalidOperationException("the relater failed");
            },
            Ct));

        Assert.Equal(0, await CountRowsAsync("archive_records"));
        Assert.Equal(0, await CountRowsAsync("archive_postings"));
    }

    [Fact]
    public async Task Decisions_from_two_stores_at_once_take_turns()
    {
        var decision = await StoredDecisionAsync();
        var other = OpenStore();
        const int PerStore = 10;

        // Each decision reads a counter and writes it back plus one: any two that overlapped would lose an increment.
        async Task IncrementAsync(IDocumentStore store)
        {
            for (var i = 0; i < PerStore; i++)
            {
                await store.RelateAsync(
                    async (index, ct) =>
                    {
                        var found = await index.ReadAsync("counter", ["c"], ct);
                        var value = found.TryGetValue("c", out var json) ? int.Parse(json, CultureInfo.InvariantCulture) : 0;
                        await Task.Yield();
                        await index.WriteAsync(new ArchiveChanges([new ArchiveRecord("counter", "c", (value + 1).ToString(CultureInfo.InvariantCulture))], []), ct);
                        return decision;
                    },
                    Ct);
            }
        }

        await Task.WhenAll(IncrementAsync(Store), IncrementAsync(other), IncrementAsync(Store));

        await Store.RelateAsync(
            async (index, ct) =>
            {
                Assert.Equal((3 * PerStore).ToString(CultureInfo.InvariantCulture), (await index.ReadAsync("counter", ["c"], ct))["c"]);
                return decision;
            },
            Ct);
    }

    [Fact]
    public async Task A_decision_is_stored_with_its_entity_links_and_replaced_on_redelivery()
    {
        var document = TestDocuments.Create(
            "Putin meets Trong",
            "Vladimir Putin met Nguyen Phu Trong.",
            [new EntityMention(EntityTypes.Person, "Vladimir Putin", 0, 14), new EntityMention(EntityTypes.Person, "Nguyen Phu Trong", 19, 35)]);
        await Store.UpsertAsync(document, Ct);
        var decision = new DocumentRelated(
            document.DocumentId,
            "story-1",
            null,
            ["person-1", "person-2"],
            ["person-1", null],
            [new ArchiveEntity("person-1", "Vladimir Putin", EntityTypes.Person, ["Putin"], "new"),
             new ArchiveEntity("person-2", "Nguyen Phu Trong", EntityTypes.Person, [], "new")],
            new RelationEvidence(null, new StoryEvidence("opened", 0, 0, 0, null, [], 0)),
            TestDocuments.IngestedAt);

        await Store.RelateAsync((_, _) => Task.FromResult(decision), Ct);
        await Store.RelateAsync((_, _) => Task.FromResult(decision), Ct);

        Assert.Equal(1, await CountRowsAsync("document_relations"));
        Assert.Equal(3, await CountRowsAsync("entity_links"));
        Assert.Equal(2, await CountRowsAsync("archive_entities"));
    }

    /// <summary>A stored document and a decision for it that names no entity.</summary>
    protected async Task<DocumentRelated> StoredDecisionAsync()
    {
        var document = TestDocuments.Create("Rice exports", "Rice exports grew.");
        await Store.UpsertAsync(document, Ct);
        return new DocumentRelated(
            document.DocumentId, "story", null, [], [], [], new RelationEvidence(null, new StoryEvidence("opened", 0, 0, 0, null, [], 0)), TestDocuments.IngestedAt);
    }
}
