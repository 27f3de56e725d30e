using Pipeline.Contracts;

namespace Pipeline.Storage.Tests;

/// <summary>What a reader sees of the relate stage's decisions: stories, reprints, archive entities, folded search.</summary>
public abstract partial class DocumentStoreTests
{
    private const string Putin = "person-putin";
    private const string Trong = "person-trong";
    private const string Moscow = "location-moscow";

    private const string OriginalText =
        "Vladimir Putin met Nguyen Phu Trong in Moscow on Tuesday. The talks covered oil and gas. "
        + "Both sides agreed to meet again next year. Trade grew by a fifth.";

    // The reprint: an agency lead, a new headline, and the last two sentences cut off.
    private const string ReprintText =
        "MOSCOW (Wire) - Vladimir Putin met Nguyen Phu Trong in Moscow on Tuesday. The talks covered oil and gas.";

    [Fact]
    public async Task Stories_list_the_latest_first_with_reprints_counted_apart()
    {
        var archive = await RelatedArchiveAsync();

        var page = await Store.ListStoriesAsync(new StoryListQuery { Limit = 10 }, Ct);

        Assert.Equal(2, page.Total);
        Assert.Equal(["story-visit", "story-rice"], page.Stories.Select(s => s.StoryId));
        var visit = page.Stories[0];
        Assert.Equal("Putin meets Trong", visit.Title);
        Assert.Equal(archive.Original.DocumentId, visit.FirstDocumentId);
        Assert.Equal((2, 1), (visit.Reports, visit.Reprints));
        Assert.Equal(("2026-11-20", "2026-11-22"), (visit.FirstDate, visit.LastDate));
        Assert.Equal(Putin, visit.Entities[0].EntityId);
        Assert.Equal(3, visit.Entities[0].Documents);

        var second = await Store.ListStoriesAsync(new StoryListQuery { Offset = 1, Limit = 1 }, Ct);
        Assert.Equal("story-rice", Assert.Single(second.Stories).StoryId);
    }

    [Fact]
    public async Task A_story_folds_each_reprint_under_its_original_with_what_it_changed()
    {
        var archive = await RelatedArchiveAsync();

        var story = await Store.GetStoryAsync("story-visit", Ct);

        Assert.NotNull(story);
        Assert.Equal([archive.Original.DocumentId, archive.FollowUp.DocumentId], story.Timeline.Select(r => r.DocumentId));
        Assert.Equal("2026-11-20", story.Timeline[0].Date);
        Assert.Equal("opened", story.Timeline[0].Evidence.Story.Rule);
        Assert.Equal(["Nguyen Phu Trong"], story.Timeline[1].Evidence.Story.SharedEntities);
        var reprint = Assert.Single(story.Timeline[0].Reprints);
        Assert.Equal(archive.Reprint.DocumentId, reprint.DocumentId);
        Assert.Equal("5-gram containment", reprint.Evidence!.Rule);
        Assert.Equal("Russia and Vietnam talk oil", reprint.Changes.NewHeadline);
        Assert.Equal(16, reprint.Changes.CutAfterWords); // the first two sentences of the original
        Assert.Equal(1, reprint.Changes.AddedSentences);
        Assert.Empty(story.Timeline[1].Reprints);
        Assert.Equal((2, 1), (story.Reports, story.Reprints));
        var putin = story.Entities.Single(e => e.EntityId == Putin);
        Assert.Equal(("Vladimir Putin", 4L, 3L), (putin.Name, putin.Mentions, putin.Documents));

        Assert.Null(await Store.GetStoryAsync("story-none", Ct));
    }

    [Fact]
    public async Task An_archive_entity_has_its_names_roles_stories_and_company()
    {
        var archive = await RelatedArchiveAsync();

        var putin = await Store.GetArchiveEntityAsync(Putin, Ct);

        Assert.NotNull(putin);
        Assert.Equal((Putin, "Vladimir Putin", "person"), (putin.Id, putin.Name, putin.Type));
        Assert.Equal(["V. Putin"], putin.Names);
        Assert.Equal(["Vladimir Putin", "V. Putin"], putin.Aliases.Select(a => a.Text));
        Assert.Equal(3, putin.DocumentCount);
        Assert.Equal(
            [("President", "2026-11-20", archive.Original.DocumentId), ("Kremlin leader", "2026-11-22", archive.FollowUp.DocumentId)],
            putin.Roles.Select(r => (r.Role, r.Date, r.DocumentId)));
        var story = Assert.Single(putin.Stories);
        Assert.Equal(("story-visit", "Putin meets Trong", 3L), (story.StoryId, story.Title, story.Documents));
        Assert.All(putin.Documents, d => Assert.Equal("story-visit", d.StoryId));
        Assert.Equal([Moscow, Trong], putin.CoOccurring.Select(c => c.Id));
        Assert.Equal(3, putin.CoOccurring[0].SharedDocuments);

        Assert.Null(await Store.GetArchiveEntityAsync("person-nobody", Ct));
    }

    [Fact]
    public async Task Entities_are_listed_once_per_archive_entity_and_by_name_until_related()
    {
        await RelatedArchiveAsync();
        var unrelated = TestDocuments.Create("Putin speaks", "Putin spoke.", [new EntityMention(EntityTypes.Person, "Putin", 0, 5)]);
        await Store.UpsertAsync(unrelated, Ct);

        var people = await Store.ListEntitiesAsync(new EntityListQuery { Type = EntityTypes.Person, Text = "putin" }, Ct);

        Assert.Equal([Putin, "person:Putin"], people.Select(p => p.Id));
        Assert.Equal((Putin, 3L, 4L), (people[0].EntityId, people[0].Documents, people[0].Mentions)); // the title names him too
        Assert.Equal(["V. Putin"], people[0].Aliases);
        Assert.Null(people[1].EntityId);
        var byAlias = await Store.ListEntitiesAsync(new EntityListQuery { Text = "V. Put" }, Ct);
        Assert.Equal(Putin, Assert.Single(byAlias).EntityId);
    }

    [Fact]
    public async Task A_document_knows_its_story_original_reprints_and_entity_links()
    {
        var archive = await RelatedArchiveAsync();

        var original = await Store.GetRelationAsync(archive.Original.DocumentId, Ct);
        var reprint = await Store.GetRelationAsync(archive.Reprint.DocumentId, Ct);

        Assert.NotNull(original);
        Assert.Equal(("story-visit", "Putin meets Trong", null), (original.StoryId, original.StoryTitle, original.DuplicateOf));
        Assert.Equal([archive.Reprint.DocumentId], original.Reprints);
        Assert.Equal([new EntityLink(false, 0, Putin), new EntityLink(false, 1, Trong), new EntityLink(false, 2, Moscow), new EntityLink(true, 0, Putin)], original.Links);
        Assert.Equal(Putin, original.Entities[0].EntityId);
        Assert.Equal(2, original.Entities[0].Mentions);
        Assert.Equal(archive.Original.DocumentId, reprint!.DuplicateOf);
        Assert.Equal("reprint", reprint.Evidence.Story.Rule);
        Assert.Null(await Store.GetRelationAsync(new string('a', 64), Ct));
    }

    [Fact]
    public async Task Search_folds_a_reprint_under_its_original_when_asked()
    {
        var archive = await RelatedArchiveAsync();

        var folded = await Store.SearchDocumentsAsync(new DocumentQuery { Text = "Putin Trong", FoldReprints = true }, Ct);
        var plain = await Store.SearchDocumentsAsync(new DocumentQuery { Text = "Putin Trong" }, Ct);

        Assert.Equal(3, folded.Total);
        Assert.Equal(3, plain.Hits.Count);
        Assert.Equal(2, folded.Hits.Count);
        var original = folded.Hits.Single(h => h.DocumentId == archive.Original.DocumentId);
        Assert.Equal(archive.Reprint.DocumentId, Assert.Single(original.Reprints!).DocumentId);
        Assert.Equal("story-visit", original.StoryId);
        Assert.All(plain.Hits, h => Assert.Null(h.Reprints));
    }

    private sealed record RelatedArchive(ProcessedDocument Original, ProcessedDocument Reprint, ProcessedDocument FollowUp);

    /// <summary>
    /// Two stories through the store's real write path: a visit (an original, its cut reprint, and a follow-up that
    /// names "V. Putin") and an older one about rice.
    /// </summary>
    private async Task<RelatedArchive> RelatedArchiveAsync()
    {
        EntityMention[] VisitEntities(string text, string? role) =>
        [
            new(EntityTypes.Person, "Vladimir Putin", text.IndexOf("Vladimir Putin", StringComparison.Ordinal), text.IndexOf("Vladimir Putin", StringComparison.Ordinal) + 14, null, role is null ? null : [role]),
            new(EntityTypes.Person, "Nguyen Phu Trong", text.IndexOf("Nguyen", StringComparison.Ordinal), text.IndexOf("Nguyen", StringComparison.Ordinal) + 16),
            new(EntityTypes.Location, "Moscow", text.IndexOf("Moscow on", StringComparison.Ordinal), text.IndexOf("Moscow on", StringComparison.Ordinal) + 6),
        ];
        var original = TestDocuments.Create("Putin meets Trong", OriginalText, VisitEntities(OriginalText, "President"), publishedOn: "2026-11-20");
        original = original with { Analysis = original.Analysis with { TitleEntities = [new EntityMention(EntityTypes.Person, "Putin", 0, 5)] } };
        var reprint = TestDocuments.Create("Russia and Vietnam talk oil", ReprintText, VisitEntities(ReprintText, null), publishedOn: "2026-11-21");
        const string followUpText = "V. Putin said the Moscow talks with Nguyen Phu Trong went well.";
        var followUp = TestDocuments.Create(
            "Talks went well",
            followUpText,
            [
                new(EntityTypes.Person, "V. Putin", 0, 8, null, ["Kremlin leader"]),
                new(EntityTypes.Location, "Moscow", 18, 24),
                new(EntityTypes.Person, "Nguyen Phu Trong", 36, 52),
            ],
            publishedOn: "2026-11-22");
        var rice = TestDocuments.Create("Rice exports grow", "Rice exports from Vietnam grew.", [new(EntityTypes.Location, "Vietnam", 18, 25)], publishedOn: "2026-11-01");
        await Store.UpsertManyAsync([original, reprint, followUp, rice], Ct);

        var putin = new ArchiveEntity(Putin, "Vladimir Putin", EntityTypes.Person, ["V. Putin"], "new");
        var trong = new ArchiveEntity(Trong, "Nguyen Phu Trong", EntityTypes.Person, [], "new");
        var moscow = new ArchiveEntity(Moscow, "Moscow", EntityTypes.Location, [], "new");
        StoryEvidence Story(string rule, params string[] shared) => new(rule, rule == "opened" ? 0 : 0.8, 0.6, 0.7, 1, shared, 1);
        var decisions = new[]
        {
            new DocumentRelated(original.DocumentId, "story-visit", null, [Putin, Trong, Moscow], [Putin], [putin, trong, moscow],
                new RelationEvidence(null, Story("opened")), TestDocuments.IngestedAt),
            new DocumentRelated(reprint.DocumentId, "story-visit", original.DocumentId, [Putin, Trong, Moscow], [], [putin, trong, moscow],
                new RelationEvidence(new DuplicateEvidence("5-gram containment", 0.7, 1), Story("reprint")), TestDocuments.IngestedAt.AddMinutes(1)),
            new DocumentRelated(followUp.DocumentId, "story-visit", null, [Putin, Moscow, Trong], [], [putin, trong, moscow],
                new RelationEvidence(null, Story("joined", "Nguyen Phu Trong")), TestDocuments.IngestedAt.AddMinutes(2)),
            new DocumentRelated(rice.DocumentId, "story-rice", null, [null], [], [],
                new RelationEvidence(null, Story("opened")), TestDocuments.IngestedAt.AddMinutes(3)),
        };
        foreach (var decision in decisions)
        {
            await Store.RelateAsync((_, _) => Task.FromResult(decision), Ct);
        }

        return new RelatedArchive(original, reprint, followUp);
    }
}
