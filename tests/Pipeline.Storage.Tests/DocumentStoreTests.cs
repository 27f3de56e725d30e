using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Storage.Tests;

/// <summary>
/// The behaviour both stores must share, run against a real SQLite file and a real PostgreSQL database.
/// Every test gets a new, empty database.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public abstract partial class DocumentStoreTests : IAsyncLifetime
{
    private readonly List<IDocumentStore> _stores = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));

    protected IDocumentStore Store { get; private set; } = null!;

    /// <summary>Where this test's database is: a file path or a connection string.</summary>
    protected string Location { get; private set; } = string.Empty;

    /// <summary>Cancels a test that hangs instead of failing.</summary>
    protected CancellationToken Ct => _timeout.Token;

    /// <summary>Makes an empty database and says where it is.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    protected abstract IDocumentStore Open(string location, StorageResilienceOptions? resilience = null);

    /// <summary>Rows in a table, counted with SQL beside the store.</summary>
    protected abstract Task<long> CountRowsAsync(string table);

    public async Task InitializeAsync()
    {
        Location = await NewDatabaseAsync();
        Store = OpenStore();
        await Store.InitializeAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        _timeout.Dispose();
    }

    protected IDocumentStore OpenStore(string? location = null, StorageResilienceOptions? resilience = null)
    {
        var store = Open(location ?? Location, resilience);
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task Initialize_twice_and_from_a_second_store_is_harmless()
    {
        await Store.InitializeAsync(Ct);
        var second = OpenStore();
        await second.InitializeAsync(Ct);
        await second.InitializeAsync(Ct);

        Assert.True(await second.UpsertAsync(TestDocuments.Create("Rice exports", "Rice exports grew."), Ct));
        Assert.Equal(1, await Store.CountAsync(Ct));
    }

    [Fact]
    public async Task Stores_starting_at_once_on_a_new_database_all_initialize()
    {
        var location = await NewDatabaseAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore(location)).ToList();

        await Task.WhenAll(stores.Select(s => s.InitializeAsync(Ct)));

        Assert.True(await stores[0].UpsertAsync(TestDocuments.Create("Rice exports", "Rice exports grew."), Ct));
        Assert.Equal(1, await stores[3].CountAsync(Ct));
    }

    [Fact]
    public async Task Operations_initialize_the_schema_on_first_use()
    {
        var store = OpenStore(await NewDatabaseAsync());

        Assert.Equal(0, await store.CountAsync(Ct));
        Assert.True(await store.UpsertAsync(TestDocuments.Create("Rice exports", "Rice exports grew."), Ct));
    }

    [Fact]
    public async Task Upsert_is_new_once_and_never_duplicates_rows()
    {
        var document = TestDocuments.Full();

        Assert.True(await Store.UpsertAsync(document, Ct));
        Assert.False(await Store.UpsertAsync(document, Ct));
        Assert.False(await OpenStore().UpsertAsync(document, Ct));

        Assert.Equal(1, await Store.CountAsync(Ct));
        Assert.Equal(1, await CountRowsAsync("documents"));
        Assert.Equal(document.Analysis.Entities.Count, await CountRowsAsync("entities"));
        Assert.Equal(document.Analysis.Keywords.Count, await CountRowsAsync("keywords"));
        var hit = Assert.Single(await Store.SearchAsync("Mekong", 10, Ct));
        Assert.Equal(document.DocumentId, hit.DocumentId);
    }

    [Fact]
    public async Task Upsert_of_a_known_id_replaces_the_document_its_entities_and_its_index_entry()
    {
        var first = TestDocuments.Create(
            "Typhoon nears coast",
            "The typhoon nears the central coast.",
            [
                new EntityMention(EntityTypes.Location, "central coast", 24, 37),
                new EntityMention(EntityTypes.Organization, "VNA", 0, 3),
                new EntityMention(EntityTypes.Person, "Nguyen", 5, 11),
            ],
            ["typhoon", "coast"]);
        var second = first with
        {
            Article = first.Article with { Title = "Storm weakens offshore", Text = "The storm weakened offshore." },
            Analysis = first.Analysis with
            {
                Entities = [new EntityMention(EntityTypes.Location, "offshore", 18, 26)],
                Keywords = ["storm"],
            },
        };

        Assert.True(await Store.UpsertAsync(first, Ct));
        Assert.False(await Store.UpsertAsync(second, Ct));

        var stored = await Store.GetAsync(first.DocumentId, Ct);
        Assert.NotNull(stored);
        Assert.Equal("Storm weakens offshore", stored.Title);
        Assert.Equal("offshore", Assert.Single(stored.Entities).Text);
        Assert.Equal(["storm"], stored.Keywords);
        Assert.Equal(1, await CountRowsAsync("entities"));
        Assert.Equal(1, await CountRowsAsync("keywords"));
        Assert.Empty(await Store.SearchAsync("typhoon", 10, Ct));
        Assert.Single(await Store.SearchAsync("storm", 10, Ct));
        Assert.True(stored.UpdatedAt >= stored.StoredAt);
    }

    [Fact]
    public async Task Concurrent_upserts_of_one_new_document_insert_it_once()
    {
        var document = TestDocuments.Full();
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore()).ToList();

        var results = await Task.WhenAll(stores.Select(s => s.UpsertAsync(document, Ct)));

        Assert.Equal(1, results.Count(inserted => inserted));
        Assert.Equal(1, await CountRowsAsync("documents"));
        Assert.Equal(document.Analysis.Entities.Count, await CountRowsAsync("entities"));
    }

    [Fact]
    public async Task Get_round_trips_every_field()
    {
        var document = TestDocuments.Full();
        await Store.UpsertAsync(document, Ct);

        var stored = await OpenStore().GetAsync(document.DocumentId, Ct);

        Assert.NotNull(stored);
        Assert.Equal(document.DocumentId, stored.DocumentId);
        Assert.Equal(document.FileName, stored.FileName);
        Assert.Equal(document.Content, stored.Content);
        Assert.Equal(document.IngestedAt, stored.IngestedAt);
        Assert.Equal(TimeSpan.Zero, stored.IngestedAt.Offset);
        Assert.Equal(document.Article.Title, stored.Title);
        Assert.Equal(document.Article.Text, stored.Text);
        Assert.Equal(document.Article.Language, stored.Language);
        Assert.Equal(document.Article.Format, stored.Format);
        Assert.Equal(document.Article.Metadata.PublishedAt, stored.Metadata.PublishedAt);
        Assert.Equal(document.Article.Metadata.Authors, stored.Metadata.Authors);
        Assert.Equal(document.Article.Metadata.SiteName, stored.Metadata.SiteName);
        Assert.Equal(document.Article.Metadata.CanonicalUrl, stored.Metadata.CanonicalUrl);
        Assert.Equal(document.Article.Metadata.Description, stored.Metadata.Description);
        Assert.Equal(document.Analysis.Dateline, stored.Dateline);
        Assert.Equal(document.Analysis.PublishedOn, stored.PublishedOn);
        Assert.Equal(document.Analysis.Keywords, stored.Keywords);
        Assert.Equal(document.Analysis.Summary, stored.Summary);
        Assert.Equal(document.Analysis.Entities.Count, stored.Entities.Count);
        for (var i = 0; i < stored.Entities.Count; i++)
        {
            var (expected, actual) = (document.Analysis.Entities[i], stored.Entities[i]);
            Assert.Equal(expected with { Roles = null }, actual with { Roles = null });
            Assert.Equal(expected.Roles, actual.Roles);
        }

        Assert.InRange(stored.StoredAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(stored.StoredAt, stored.UpdatedAt);

        var again = stored.ToProcessedDocument();
        Assert.Equal(document.DocumentId, again.DocumentId);
        Assert.Equal(document.Article.Title, again.Article.Title);
    }

    [Fact]
    public async Task Get_of_an_unknown_id_is_null()
    {
        await Store.UpsertAsync(TestDocuments.Full(), Ct);
        Assert.Null(await Store.GetAsync(new string('0', 64), Ct));
        Assert.Null(await Store.GetAsync("'; DROP TABLE documents; --", Ct));
    }

    [Fact]
    public async Task Minimal_document_round_trips_with_empty_and_missing_values()
    {
        var content = new byte[] { 42 };
        var document = new ProcessedDocument(
            DocumentId.FromContent(content),
            "x.txt",
            content,
            TestDocuments.IngestedAt,
            new CleanedArticle("T", "Body", null, "text", ArticleMetadata.Empty),
            new DocumentAnalysis(null, null, [], [], string.Empty));
        Assert.True(await Store.UpsertAsync(document, Ct));

        var stored = await Store.GetAsync(document.DocumentId, Ct);

        Assert.NotNull(stored);
        Assert.Null(stored.Language);
        Assert.Null(stored.Dateline);
        Assert.Null(stored.PublishedOn);
        Assert.Empty(stored.Entities);
        Assert.Empty(stored.Keywords);
        Assert.Equal(string.Empty, stored.Summary);
        Assert.Null(stored.Metadata.Authors);
        Assert.Equal(content, stored.Content);
    }

    [Fact]
    public async Task Nul_characters_are_stored_as_replacement_characters_keeping_offsets()
    {
        var document = TestDocuments.Full();
        document = document with
        {
            Article = document.Article with
            {
                Title = "Bad\0title",
                Text = "Nul\0inside the text",
                Metadata = new ArticleMetadata(Authors: ["A\0B"]),
            },
            Analysis = document.Analysis with
            {
                Entities = [new EntityMention(EntityTypes.Person, "Nul\0inside", 0, 10, null, ["r\0le"])],
                Keywords = ["k\0"],
            },
        };

        Assert.True(await Store.UpsertAsync(document, Ct));

        var stored = await Store.GetAsync(document.DocumentId, Ct);
        Assert.NotNull(stored);
        Assert.Equal("Bad\uFFFDtitle", stored.Title);
        Assert.Equal("Nul\uFFFDinside the text", stored.Text);
        Assert.Equal(["A\uFFFDB"], stored.Metadata.Authors);
        Assert.Equal("Nul\uFFFDinside", Assert.Single(stored.Entities).Text);
        Assert.Equal(["r\uFFFDle"], stored.Entities[0].Roles);
        Assert.Equal(["k\uFFFD"], stored.Keywords);
        Assert.Single(await Store.SearchAsync("inside", 10, Ct));
    }

    [Fact]
    public async Task Upsert_many_returns_the_new_ids_within_and_across_batches()
    {
        var a = TestDocuments.Create("Rice exports rise", "Rice exports rose in the Mekong Delta.");
        var b = TestDocuments.Create("Coffee prices fall", "Coffee prices fell in the Central Highlands.");
        var c = TestDocuments.Create("Port expands", "The port of Hai Phong expands.");
        var aLater = a with { Article = a.Article with { Title = "Rice exports rise again" } };

        Assert.Empty(await Store.UpsertManyAsync([], Ct));
        Assert.Equivalent(new[] { a.DocumentId, b.DocumentId }, await Store.UpsertManyAsync([a, b, a, aLater], Ct), strict: true);
        Assert.Equal([c.DocumentId], await Store.UpsertManyAsync([b, c, c], Ct));
        Assert.Empty(await Store.UpsertManyAsync([a, b, c], Ct));

        Assert.Equal(3, await Store.CountAsync(Ct));
        Assert.Equal(3, await CountRowsAsync("documents"));
        Assert.Equal(3, await CountRowsAsync("entities"));
        Assert.Equal(3, await CountRowsAsync("keywords"));
        Assert.Single(await Store.SearchAsync("rice", 10, Ct));
    }

    [Fact]
    public async Task Upsert_many_keeps_the_last_copy_of_an_id()
    {
        var a = TestDocuments.Create("Rice exports rise", "Rice exports rose in the Mekong Delta.");
        var aLater = a with { Article = a.Article with { Title = "Rice exports rise again" } };

        Assert.Equal([a.DocumentId], await Store.UpsertManyAsync([a, aLater], Ct));

        Assert.Equal("Rice exports rise again", (await Store.GetAsync(a.DocumentId, Ct))!.Title);
    }

    [Fact]
    public async Task Upsert_many_writes_a_large_batch()
    {
        var documents = Enumerable.Range(0, 300)
            .Select(i => TestDocuments.Create($"Report {i}", $"Quarterly report number {i} about exports.", rawSuffix: i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        Assert.Equal(300, (await Store.UpsertManyAsync(documents, Ct)).Count);
        Assert.Empty(await Store.UpsertManyAsync(documents, Ct));

        Assert.Equal(300, await Store.CountAsync(Ct));
        Assert.Equal(300, await CountRowsAsync("entities"));
        Assert.Equal(50, (await Store.SearchAsync("quarterly exports", 50, Ct)).Count);
    }

    [Fact]
    public async Task Search_finds_a_word_in_the_title_and_in_the_text_with_a_highlighted_snippet()
    {
        var inTitle = TestDocuments.Create("Dragon fruit harvest", "Farmers in Binh Thuan picked a record crop this season.");
        var inText = TestDocuments.Create("Farm news", "Farmers in Tien Giang said the pomelo harvest was late this year.");
        await Store.UpsertManyAsync([inTitle, inText], Ct);

        var titleHit = Assert.Single(await Store.SearchAsync("dragon", 10, Ct));
        Assert.Equal(inTitle.DocumentId, titleHit.DocumentId);
        Assert.Equal("Dragon fruit harvest", titleHit.Title);
        Assert.Contains("<mark>Dragon</mark>", titleHit.Snippet, StringComparison.Ordinal);
        Assert.Equal("2026-11-24", titleHit.PublishedOn);

        var textHit = Assert.Single(await Store.SearchAsync("pomelo", 10, Ct));
        Assert.Equal(inText.DocumentId, textHit.DocumentId);
        Assert.Contains("<mark>pomelo</mark>", textHit.Snippet, StringComparison.Ordinal);
        Assert.Contains("Tien Giang", textHit.Snippet, StringComparison.Ordinal);

        Assert.Equal(2, (await Store.SearchAsync("HARVEST", 10, Ct)).Count);
        Assert.Equal(2, (await Store.SearchAsync("farmers", 10, Ct)).Count);
    }

    [Fact]
    public async Task Search_ranks_the_better_match_first()
    {
        var passing = TestDocuments.Create("Market report", "Prices were flat; shrimp was mentioned once among many other goods traded this week.");
        var best = TestDocuments.Create("Shrimp exports climb", "Shrimp exports climbed as shrimp farms in Ca Mau raised shrimp output.");
        await Store.UpsertManyAsync([passing, best], Ct);

        var hits = await Store.SearchAsync("shrimp", 10, Ct);

        Assert.Equal([best.DocumentId, passing.DocumentId], hits.Select(h => h.DocumentId));
        Assert.True(hits[0].Rank > hits[1].Rank);
    }

    [Fact]
    public async Task Search_supports_phrases_alternatives_and_exclusions()
    {
        var delta = TestDocuments.Create("Rice news", "Rice exports from the Mekong Delta rose.");
        var river = TestDocuments.Create("River news", "The Mekong river level fell near the delta towns.");
        await Store.UpsertManyAsync([delta, river], Ct);

        Assert.Equal(delta.DocumentId, Assert.Single(await Store.SearchAsync("\"mekong delta\"", 10, Ct)).DocumentId);
        Assert.Equal(2, (await Store.SearchAsync("mekong delta", 10, Ct)).Count);
        Assert.Equal(2, (await Store.SearchAsync("rice or river", 10, Ct)).Count);
        Assert.Equal(river.DocumentId, Assert.Single(await Store.SearchAsync("mekong -rice", 10, Ct)).DocumentId);
        Assert.Single(await Store.SearchAsync("mekong", 1, Ct));
        Assert.Empty(await Store.SearchAsync("-rice", 10, Ct)); // exclusions alone rank nothing
    }

    [Fact]
    public async Task Search_matches_words_with_diacritics()
    {
        await Store.UpsertAsync(TestDocuments.Full(), Ct);

        var hit = Assert.Single(await Store.SearchAsync("Lương Cường", 10, Ct));
        Assert.Contains("<mark>Lương</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.Single(await Store.SearchAsync("hà nội", 10, Ct));
    }

    [Fact]
    public async Task A_search_in_a_long_document_answers_at_once_with_a_snippet_from_its_start()
    {
        await Store.UpsertAsync(LongDocument(), Ct);

        var hit = Assert.Single(await Store.SearchAsync("the", 10, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Contains("<mark>the</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.InRange(hit.Snippet.Length, 20, 1000);
        var far = Assert.Single(await Store.SearchAsync("zebra", 10, Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.StartsWith("the farmers sold rice", far.Snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<mark>", far.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_cancelled_by_its_caller_is_cancelled()
    {
        await Store.UpsertAsync(TestDocuments.Create("Rice exports", "Rice exports grew."), Ct);
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SearchDocumentsAsync(new DocumentQuery { Text = "rice" }, gone.Token));
    }

    /// <summary>
    /// 16 MB of prose with "the" one word in fifteen: snippets that scored every match took half a minute (and
    /// minutes for real prose). "zebra" is past the snippets' window, and within what PostgreSQL indexes.
    /// </summary>
    private static ProcessedDocument LongDocument()
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < 16_000_000; i++)
        {
            text.Append(i == 8_000 ? "zebra " : i % 15 == 0 ? "the " : "farmers sold rice ");
        }

        return TestDocuments.Create("A long report", text.ToString());
    }

    [Fact]
    public async Task Snippets_are_html_escaped_apart_from_the_marks()
    {
        await Store.UpsertAsync(
            TestDocuments.Create("Markup", "Tags like <script>alert('x')</script> & \"quotes\" stay text around the keyword lantern."),
            Ct);

        var hit = Assert.Single(await Store.SearchAsync("lantern", 10, Ct));

        Assert.Contains("<mark>lantern</mark>", hit.Snippet, StringComparison.Ordinal);
        // SQLite escapes the tag; PostgreSQL's parser reads it as a tag and leaves it out of the headline.
        Assert.DoesNotContain("<script>", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&amp;", hit.Snippet, StringComparison.Ordinal);
        var unmarked = hit.Snippet.Replace("<mark>", "", StringComparison.Ordinal).Replace("</mark>", "", StringComparison.Ordinal);
        Assert.DoesNotContain('<', unmarked);
        Assert.DoesNotContain('"', unmarked);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("'; DROP TABLE documents; --")]
    [InlineData("\"; DROP TABLE documents; --")]
    [InlineData("\"unbalanced quote")]
    [InlineData("unbalanced\" quote")]
    [InlineData("*")]
    [InlineData("rice*")]
    [InlineData("\"\"")]
    [InlineData("AND OR NOT")]
    [InlineData("NEAR(rice exports, 2)")]
    [InlineData("title:rice")]
    [InlineData("^rice")]
    [InlineData("((rice")]
    [InlineData("rice & exports | !coffee <-> ''")]
    [InlineData("-")]
    [InlineData("- -rice")]
    [InlineData("\\\u0000\u0002rice\u0003")]
    public async Task Hostile_queries_neither_fail_nor_harm(string query)
    {
        await Store.UpsertAsync(TestDocuments.Create("Rice exports rise", "Rice exports rose in the Mekong Delta."), Ct);

        var hits = await Store.SearchAsync(query, 10, Ct);

        Assert.InRange(hits.Count, 0, 1);
        Assert.Equal(1, await Store.CountAsync(Ct));
        Assert.Equal(1, await CountRowsAsync("documents"));
    }

    [Fact]
    public async Task Search_limit_must_be_positive()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.SearchAsync("rice", 0, Ct));
    }

    [Fact]
    public async Task Search_on_an_empty_store_finds_nothing()
    {
        Assert.Empty(await Store.SearchAsync("rice", 10, Ct));
    }
}
