using Pipeline.Contracts;
using static Pipeline.Relating.Tests.Articles;

namespace Pipeline.Relating.Tests;

public sealed class ArchiveRelaterTests
{
    private readonly ArchiveRelater _relater = new(TimeProvider.System);
    private readonly InMemoryArchiveIndex _index = new();

    private static readonly (string, string)[] FloodNames =
        [("Nguyen Van Binh", EntityTypes.Person), ("Lao Cai", EntityTypes.Location)];

    private Task<DocumentRelated> RelateAsync(RelateInput input) => _relater.RelateAsync(input, _index, CancellationToken.None);

    [Fact]
    public async Task A_reprint_with_a_new_headline_and_a_cut_ending_is_a_duplicate_of_the_original()
    {
        var original = await RelateAsync(Input("Floods cut off northern villages", FloodReport, FloodNames));
        var reprint = await RelateAsync(Input("Thousands flee as river bursts its banks", FloodReprint, FloodNames));
        var other = await RelateAsync(Input("Chile votes", Election, ("Maria Gonzalez", EntityTypes.Person)));

        Assert.Null(original.DuplicateOf);
        Assert.Equal(original.DocumentId, reprint.DuplicateOf);
        Assert.Equal(original.StoryId, reprint.StoryId);
        Assert.Equal("reprint", reprint.Evidence.Story.Rule);
        Assert.True(reprint.Evidence.Duplicate!.Containment >= 0.8);
        Assert.Null(other.DuplicateOf);
    }

    [Theory]
    [InlineData("Floods cut off northern villages", "UPDATE 1-Floods cut off northern villages", true)]
    [InlineData("Floods cut off northern villages", "Floods cut off northern villages", true)]
    [InlineData("Floods cut off northern villages", "Thousands flee as river bursts its banks", false)]
    // A date line taken for a title is no headline: two reports of one day share it.
    [InlineData("APR 28, 2014", "APR 28, 2014", false)]
    public async Task An_edited_copy_is_a_duplicate_under_the_same_headline_only(string title, string copyTitle, bool duplicate)
    {
        var original = await RelateAsync(Input(title, FloodReport, FloodNames));
        var copy = await RelateAsync(Input(copyTitle, FloodEdited, FloodNames));

        Assert.Equal(duplicate ? original.DocumentId : null, copy.DuplicateOf);
        if (duplicate)
        {
            Assert.Equal("same headline, 5-gram containment", copy.Evidence.Duplicate!.Rule);
            Assert.InRange(copy.Evidence.Duplicate.Containment, 0.6, 0.8);
        }
    }

    [Fact]
    public async Task A_reprint_of_a_reprint_points_at_the_earliest_copy()
    {
        var original = await RelateAsync(Input("Floods", FloodReport, FloodNames));
        await RelateAsync(Input("Floods (Reuters)", FloodReprint, FloodNames));
        var third = await RelateAsync(Input("Floods (wire)", FloodReprint + "\n\nCopyright the agency.", FloodNames));

        Assert.Equal(original.DocumentId, third.DuplicateOf);
    }

    [Fact]
    public async Task Two_reports_of_one_event_join_and_another_event_opens_a_story()
    {
        var first = await RelateAsync(Input("Floods cut off northern villages", FloodReport, FloodNames));
        var second = await RelateAsync(Input("Rescuers reach flooded villages", FloodFollowUp, FloodNames));
        var election = await RelateAsync(Input("Chile votes", Election, ("Maria Gonzalez", EntityTypes.Person), ("Chile", EntityTypes.Location)));

        Assert.Null(second.DuplicateOf);
        Assert.Equal(first.StoryId, second.StoryId);
        Assert.Equal("joined", second.Evidence.Story.Rule);
        Assert.Contains("Nguyen Van Binh", second.Evidence.Story.SharedEntities);
        Assert.NotEqual(first.StoryId, election.StoryId);
        Assert.Equal("opened", election.Evidence.Story.Rule);
    }

    [Fact]
    public async Task A_long_report_about_the_person_of_a_story_joins_it_though_its_words_stray()
    {
        (string, string)[] deathNames = [("Bettie Page", EntityTypes.Person), ("Mark Roesler", EntityTypes.Person), ("Los Angeles", EntityTypes.Location)];
        var first = await RelateAsync(Input("Pin-up model Bettie Page dies at 85",
            "Bettie Page, the pin-up model of the 1950s, died on Thursday in a hospital in Los Angeles, her agent Mark Roesler said. " +
            "Bettie Page had suffered a heart attack three weeks ago and had been in a coma. Roesler said Bettie Page died peacefully.",
            deathNames));
        var second = await RelateAsync(Input("Bettie Page, icon of the pin-up, has died",
            "The pin-up icon Bettie Page has died in Los Angeles at 85, nine days after a heart attack, Mark Roesler, her agent, said. " +
            "Bettie Page was in a coma at the hospital. Bettie Page had been a model in the 1950s.",
            deathNames));
        var life = await RelateAsync(Input("A life in pictures",
            "Born in Nashville in 1923, Bettie Page studied at Peabody College and hoped to become a teacher or an actress. " +
            "In New York she met photographer Irving Klaw, whose mail-order pictures made her name among collectors, and " +
            "Bunny Yeager, who photographed her on the beaches of Miami. Hugh Hefner chose her for a centrefold in 1955. " +
            "Senator Estes Kefauver called Klaw before a committee on juvenile delinquency, and she left modelling in 1957. " +
            "Bettie Page later lived quietly in Florida and California, rarely giving interviews, while artists, designers " +
            "and a film kept copying her fringe and her smile; Bettie Page never understood why, friends recall.",
            ("Bettie Page", EntityTypes.Person), ("Nashville", EntityTypes.Location), ("Peabody College", EntityTypes.Organization),
            ("New York", EntityTypes.Location), ("Irving Klaw", EntityTypes.Person), ("Bunny Yeager", EntityTypes.Person),
            ("Miami", EntityTypes.Location), ("Hugh Hefner", EntityTypes.Person), ("Estes Kefauver", EntityTypes.Person),
            ("Florida", EntityTypes.Location), ("California", EntityTypes.Location)));

        Assert.Equal(first.StoryId, second.StoryId);
        Assert.True(life.StoryId == first.StoryId, $"opened its own story: {life.Evidence.Story}");
        Assert.Contains("Bettie Page", life.Evidence.Story.SharedEntities);
    }

    [Theory]
    // The story's spokesman was one of two: the role is no one person's in it.
    [InlineData(new[] { "Tran Quoc Hung", "Le Van Nam" }, 2)]
    // The report's spokesman is named once, in passing.
    [InlineData(new[] { "Tran Quoc Hung" }, 1)]
    // One spokesman in each, the report's named twice: another event of the kind (as the seeds' two ambassadors).
    [InlineData(new[] { "Tran Quoc Hung" }, 2)]
    public async Task Another_holder_of_a_role_opens_a_story_only_where_the_role_is_one_persons(string[] storySpokesmen, int reportMentions)
    {
        string spokesmen = string.Join(" and ", storySpokesmen.Select(s => $"spokesman {s}"));
        var first = await RelateAsync(WithRole(
            Input("Floods cut off northern villages", $"{FloodReport} More rain is coming, {spokesmen} said.", [.. FloodNames, .. storySpokesmen.Select(Person)]),
            "spokesman",
            storySpokesmen));
        string mentions = string.Concat(Enumerable.Repeat(" Spokesman Pham Minh Duc said so.", reportMentions));
        var report = await RelateAsync(WithRole(
            Input("Rescuers reach flooded villages", FloodFollowUp + mentions, [.. FloodNames, Person("Pham Minh Duc")]),
            "spokesman",
            "Pham Minh Duc"));

        bool conflict = storySpokesmen.Length == 1 && reportMentions > 1;
        Assert.True((report.StoryId == first.StoryId) != conflict, $"{report.Evidence.Story}");
    }

    [Theory]
    // Another Watergate figure dies: the report is about someone no report of the story is about, and does not name
    // the person the story is about.
    [InlineData("Fred LaRue", "", false)]
    // The same man's death, told again.
    [InlineData("Mark Felt", "", true)]
    // The other man's report names the story's man: it may be part of his story (as a suspect of being him).
    [InlineData("Fred LaRue", " He was once thought to be Mark Felt's informant.", true)]
    public async Task A_report_about_someone_else_of_the_same_kind_of_event_opens_a_story(string person, string aside, bool joins)
    {
        (string, string)[] names = [Person("Mark Felt"), Person("Fred LaRue"), Person("Richard Nixon"), ("Watergate", EntityTypes.Misc)];
        var first = await RelateAsync(Input("Watergate figure Mark Felt dies at 95",
            "Mark Felt, a Watergate figure and former aide in the Nixon years, died on Thursday at his home, his family said. " +
            "Mark Felt was 95. The Watergate scandal forced President Richard Nixon to resign in 1974, and Mark Felt " +
            "testified about the break-in and the cover-up before a grand jury.",
            names));
        var report = await RelateAsync(Input($"Watergate figure {person} dies",
            $"{person}, a former aide in the Nixon years, was found dead in a motel room on Friday, the coroner said. " +
            $"{person} was 75. He testified about the Watergate cover-up before a grand jury, and {person} served " +
            $"time in prison before the scandal forced President Richard Nixon to resign.{aside}",
            names));

        Assert.True((report.StoryId == first.StoryId) == joins, $"{report.Evidence.Story}");
        Assert.Equal(!joins, report.Evidence.Story.Adjustments!.Contains("about someone the story is not about ×0.5"));
    }

    private static (string, string) Person(string name) => (name, EntityTypes.Person);

    /// <summary>The input with <paramref name="role"/> given to every mention of the holders, as the extract stage gives it.</summary>
    private static RelateInput WithRole(RelateInput input, string role, params string[] holders) => input with
    {
        Entities = [.. input.Entities.Select(m => holders.Contains(m.Text) ? m with { Roles = [role] } : m)],
    };

    [Fact]
    public async Task Initials_name_the_person_of_the_full_name()
    {
        var full = await RelateAsync(Input("Talks in Moscow", "President Vladimir Putin met the delegation in Moscow on Friday.",
            ("Vladimir Putin", EntityTypes.Person), ("Moscow", EntityTypes.Location)));
        var initials = await RelateAsync(Input("Letter", "A letter from V. Putin was read at the start of the conference in Hanoi.",
            ("V. Putin", EntityTypes.Person), ("Hanoi", EntityTypes.Location)));

        Assert.Equal(full.EntityIds[0], initials.EntityIds[0]);
        Assert.Equal("Vladimir Putin", initials.Entities.Single(e => e.EntityId == initials.EntityIds[0]).Name);
    }

    [Fact]
    public async Task A_short_given_name_names_the_person_of_the_full_name()
    {
        var full = await RelateAsync(Input("Aide dies", "Frederick C. LaRue, an aide to President Nixon, died at his home in Biloxi.",
            ("Frederick C. LaRue", EntityTypes.Person), ("Nixon", EntityTypes.Person), ("Biloxi", EntityTypes.Location)));
        var shortForm = await RelateAsync(Input("Obituary", "Fred LaRue was found dead in a motel room in Mississippi, the coroner said.",
            ("Fred LaRue", EntityTypes.Person), ("Mississippi", EntityTypes.Location)));
        var other = await RelateAsync(Input("Obituary", "Frank LaRue opened a bakery in Biloxi in 1952.",
            ("Frank LaRue", EntityTypes.Person), ("Biloxi", EntityTypes.Location)));

        Assert.Equal(full.EntityIds[0], shortForm.EntityIds[0]);
        Assert.NotEqual(full.EntityIds[0], other.EntityIds[0]);
    }

    [Fact]
    public async Task A_nickname_the_document_gives_beside_the_full_name_does_not_part_the_person()
    {
        var full = await RelateAsync(Input("Sixers fire coach", "The Philadelphia 76ers fired coach Maurice Cheeks on Saturday after a 9-14 start.",
            ("Maurice Cheeks", EntityTypes.Person), ("Philadelphia", EntityTypes.Location)));
        const string Text = "Mo Cheeks is back. Maurice Cheeks was introduced in Philadelphia as head coach on Tuesday.";
        // The extract stage grouped the two names as one person of the document.
        var nickname = Input("Cheeks returns", Text) with
        {
            Entities =
            [
                new(EntityTypes.Person, "Mo Cheeks", 0, 9, "Maurice Cheeks"),
                new(EntityTypes.Person, "Maurice Cheeks", 19, 33, "Maurice Cheeks"),
                new(EntityTypes.Location, "Philadelphia", 52, 64),
            ],
        };

        var related = await RelateAsync(nickname);

        Assert.Equal(full.EntityIds[1], related.EntityIds[0]);
        Assert.Equal(related.EntityIds[0], related.EntityIds[1]);
    }

    [Theory]
    [InlineData("Boston Red Sox", "Red Sox", EntityTypes.Organization)]
    [InlineData("Betty Ford Center", "Betty Ford", EntityTypes.Organization)]
    // The tagger calls many a team misc in one report and an organisation in the next.
    [InlineData("Boston Red Sox", "Red Sox", EntityTypes.Misc)]
    public async Task A_body_named_by_the_beginning_or_end_of_its_name_is_one_body_in_its_story(string name, string shortName, string shortType)
    {
        var first = await RelateAsync(Input("Sox make offer", $"The {name} made an eight-year offer to Mark Teixeira on Monday, his agent said.",
            (name, EntityTypes.Organization), ("Mark Teixeira", EntityTypes.Person)));
        var second = await RelateAsync(Input("Offer for Teixeira", $"The {shortName} made Mark Teixeira an eight-year offer on Monday, his agent said.",
            (shortName, shortType), ("Mark Teixeira", EntityTypes.Person)));

        Assert.Equal(first.StoryId, second.StoryId);
        Assert.Equal(first.EntityIds[0], second.EntityIds[0]);
    }

    [Fact]
    public async Task A_short_name_beside_the_full_name_in_one_report_is_one_body_across_reports()
    {
        // The extract stage groups a person's surname with the full name, not a team's short name with its own.
        var input = Input("Chiefs sign quarterback",
            "The Kansas City Chiefs signed a quarterback in Kansas City on Monday. The Chiefs gave him two years. Boston Red Sox fans, Red Sox players, the Sox: all cheered.",
            ("Kansas City Chiefs", EntityTypes.Organization), ("Boston Red Sox", EntityTypes.Organization), ("Red Sox", EntityTypes.Organization),
            ("Chiefs", EntityTypes.Misc), ("Kansas City", EntityTypes.Location), ("Sox", EntityTypes.Organization));
        var full = await RelateAsync(input);
        var shortOnly = await RelateAsync(Input("Quarterback signs", "The Chiefs signed a quarterback on Monday and gave him two years, the team said.",
            ("Chiefs", EntityTypes.Organization)));

        var ids = input.Entities.Zip(full.EntityIds).ToLookup(p => p.First.Text, p => p.Second);
        Assert.Equal(ids["Kansas City Chiefs"].Single(), ids["Chiefs"].Single());
        Assert.Equal(ids["Boston Red Sox"].Single(), ids["Red Sox"].Single());
        Assert.Equal(ids["Boston Red Sox"].Single(), ids["Sox"].Single());
        // A place is not folded into the team named after it.
        Assert.NotEqual(ids["Kansas City Chiefs"].Single(), ids["Kansas City"].Single());
        Assert.Equal(ids["Kansas City Chiefs"].Single(), shortOnly.EntityIds.Single());
    }

    [Fact]
    public async Task A_surname_names_the_person_of_its_story()
    {
        var first = await RelateAsync(Input("Lindsay Lohan enters rehab",
            "Actress Lindsay Lohan checked into a rehab clinic in Malibu on Thursday, her lawyer said, ahead of a court date.",
            ("Lindsay Lohan", EntityTypes.Person), ("Malibu", EntityTypes.Location)));
        var second = await RelateAsync(Input("Lohan in rehab",
            "Lohan checked into the rehab clinic in Malibu on Thursday, her lawyer told the court, which had ordered the stay.",
            ("Lohan", EntityTypes.Person), ("Malibu", EntityTypes.Location)));

        Assert.Equal(first.StoryId, second.StoryId);
        Assert.Equal(first.EntityIds[0], second.EntityIds[0]);
    }

    [Fact]
    public async Task A_full_name_finds_its_person_after_a_report_naming_many_of_the_family()
    {
        var first = await RelateAsync(Input("Watergate figure dies", "Fred LaRue, a Watergate figure, died at his home in Mississippi.",
            ("Fred LaRue", EntityTypes.Person), ("Mississippi", EntityTypes.Location)));
        string[] family = ["Ann", "Bob", "Carl", "Dora", "Emil", "Fay", "Gus", "Hal", "Ida"];
        var relatives = family.Select(given => Person(given + " LaRue")).ToArray();
        await RelateAsync(Input("Family reunion", string.Join(", ", relatives.Select(r => r.Item1)) + " met at a family reunion in Texas.",
            relatives));
        var later = await RelateAsync(Input("Memorial held", "Friends remembered Fred LaRue at a memorial service in Jackson on Sunday.",
            ("Fred LaRue", EntityTypes.Person), ("Jackson", EntityTypes.Location)));

        Assert.Equal(first.EntityIds[0], later.EntityIds[0]);
    }

    [Theory]
    [InlineData("Betty Ford Centre", "Betty Ford Center", EntityTypes.Location)]
    [InlineData("World Health Organisation", "World Health Organization", EntityTypes.Organization)]
    public async Task A_name_in_British_spelling_is_the_name_in_American_spelling(string british, string american, string type)
    {
        var first = await RelateAsync(Input("Singer in rehab", $"The singer checked into the {british} on Monday, her agent said.", (british, type)));
        var second = await RelateAsync(Input("Outbreak", $"The {american} warned of a new outbreak in the region on Friday.", (american, type)));

        Assert.Equal(first.EntityIds[0], second.EntityIds[0]);
    }

    [Fact]
    public async Task A_short_given_name_beside_the_full_name_in_one_report_is_one_person()
    {
        var input = Input("Watergate figure dies", "Frederick C. LaRue died on Sunday. Fred LaRue was 75. His son William T. LaRue said so.",
            Person("Frederick C. LaRue"), Person("Fred LaRue"), Person("William T. LaRue"));

        var related = await RelateAsync(input);

        Assert.Equal(related.EntityIds[0], related.EntityIds[1]);
        Assert.NotEqual(related.EntityIds[0], related.EntityIds[2]);
    }

    [Fact]
    public async Task Two_people_with_one_surname_and_different_first_names_stay_apart()
    {
        var john = await RelateAsync(Input("Budget", "Finance minister John Smith presented the budget to parliament in London.",
            ("John Smith", EntityTypes.Person), ("London", EntityTypes.Location)));
        var mary = await RelateAsync(Input("Budget reply", "Opposition leader Mary Smith attacked the budget in parliament in London.",
            ("Mary Smith", EntityTypes.Person), ("London", EntityTypes.Location)));

        Assert.NotEqual(john.EntityIds[0], mary.EntityIds[0]);
        Assert.Equal(john.EntityIds[1], mary.EntityIds[1]);
    }

    [Fact]
    public async Task A_party_named_after_a_country_is_not_the_country()
    {
        var country = await RelateAsync(Input("Talks in Moscow", "Russia and Vietnam signed an energy deal in Moscow on Monday.",
            ("Russia", EntityTypes.Location), ("Vietnam", EntityTypes.Location), ("Moscow", EntityTypes.Location)));
        var party = await RelateAsync(Input("Party talks", "Leaders of United Russia met delegates from Vietnam in Moscow on Monday.",
            ("United Russia", EntityTypes.Organization), ("Vietnam", EntityTypes.Location), ("Moscow", EntityTypes.Location)));

        Assert.NotEqual(country.EntityIds[0], party.EntityIds[0]);
        Assert.Equal(country.EntityIds[1], party.EntityIds[1]);
    }

    [Fact]
    public async Task An_occupation_before_a_name_is_not_part_of_it()
    {
        var related = await RelateAsync(Input("Harvest", "Farmer Tran Van Phuc lost his rice harvest to the flood.", ("Farmer Tran Van Phuc", EntityTypes.Person)));
        var again = await RelateAsync(Input("Harvest again", "Tran Van Phuc says the valley will plant again in spring.", ("Tran Van Phuc", EntityTypes.Person)));

        Assert.Equal("Tran Van Phuc", related.Entities.Single().Name);
        Assert.Equal(related.EntityIds[0], again.EntityIds[0]);
    }

    [Fact]
    public async Task A_redelivery_returns_the_same_decision_and_writes_nothing()
    {
        var index = new CountingIndex(_index);
        var input = Input("Floods cut off northern villages", FloodReport, FloodNames);
        var first = await _relater.RelateAsync(input, index, CancellationToken.None);
        var again = await _relater.RelateAsync(input, index, CancellationToken.None);

        Assert.Equal(1, index.Writes);
        Assert.Equal(first.StoryId, again.StoryId);
        Assert.Equal(first.EntityIds, again.EntityIds);
        Assert.Equal(first.RelatedAt, again.RelatedAt);
    }

    /// <summary>An index that counts the decisions written to it.</summary>
    private sealed class CountingIndex(IArchiveIndex inner) : IArchiveIndex
    {
        public int Writes { get; private set; }

        public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(IReadOnlyCollection<string> keys, int limitPerKey, CancellationToken ct) =>
            inner.FindAsync(keys, limitPerKey, ct);

        public Task<IReadOnlyDictionary<string, string>> ReadAsync(string kind, IReadOnlyCollection<string> ids, CancellationToken ct) =>
            inner.ReadAsync(kind, ids, ct);

        public Task WriteAsync(ArchiveChanges changes, CancellationToken ct)
        {
            Writes++;
            return inner.WriteAsync(changes, ct);
        }
    }
}
