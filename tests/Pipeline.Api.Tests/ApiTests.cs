using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.Api.Tests;

/// <summary>The query API over a real store that the real pipeline filled, run against SQLite and PostgreSQL.</summary>
public abstract class ApiTests(ApiFixture fixture)
{
    private const string Trong = "person:Nguyen Phu Trong";

    /// <summary>The archive entity of the one entity of <paramref name="type"/> whose name or alias holds <paramref name="q"/>.</summary>
    private async Task<string> ArchiveEntityIdAsync(string type, string q)
    {
        var list = await GetJsonAsync($"api/entities?type={type}&q={Uri.EscapeDataString(q)}");
        var entity = Assert.Single(list.GetProperty("entities").EnumerateArray());
        return entity.GetProperty("entityId").GetString() ?? throw new InvalidOperationException($"{q} is not an archive entity: {entity}");
    }

    private HttpClient Client => fixture.Client;

    private async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Ids(JsonElement page) =>
        [.. page.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("documentId").GetString()!)];

    [Fact]
    public async Task Search_finds_both_seeds_about_Russia_with_highlights()
    {
        var page = await GetJsonAsync("api/documents?q=Russia");
        Assert.Equal(3, page.GetProperty("total").GetInt64()); // the two seeds and the submitted story
        Assert.Equal("relevance", page.GetProperty("sort").GetString());
        var hits = page.GetProperty("hits").EnumerateArray().ToList();
        Assert.All(hits, h => Assert.Contains("<mark>Russia</mark>", h.GetProperty("snippet").GetString()!, StringComparison.Ordinal));
        Assert.Contains(hits, h => h.GetProperty("title").GetString()!.Contains("Vietnam treasures cooperative relations", StringComparison.Ordinal));
        var ranks = hits.Select(h => h.GetProperty("rank").GetDouble()).ToList();
        Assert.Equal(ranks.OrderDescending(), ranks);
    }

    [Fact]
    public async Task Search_pages_through_the_results()
    {
        var first = await GetJsonAsync("api/documents?q=Russia&pageSize=2");
        var second = await GetJsonAsync("api/documents?q=Russia&pageSize=2&page=2");
        var beyond = await GetJsonAsync("api/documents?q=Russia&pageSize=2&page=3");
        Assert.Equal(2, first.GetProperty("pages").GetInt64());
        Assert.Equal(2, Ids(first).Count);
        Assert.Single(Ids(second));
        Assert.Empty(Ids(beyond));
        Assert.Equal(3, beyond.GetProperty("total").GetInt64());
        Assert.Empty(Ids(first).Intersect(Ids(second)));
    }

    [Fact]
    public async Task Search_filters_by_entity_place_and_date()
    {
        var byPerson = await GetJsonAsync("api/documents?person=Nguyen%20Phu%20Trong");
        Assert.Equal(2, byPerson.GetProperty("total").GetInt64());

        var dated = await GetJsonAsync("api/documents?q=Russia&from=2020-12-01&to=2020-12-31");
        var hit = Assert.Single(dated.GetProperty("hits").EnumerateArray());
        Assert.Equal("2020-12-03", hit.GetProperty("publishedOn").GetString());

        var byPlace = await GetJsonAsync("api/documents?place=Lagos");
        Assert.Equal(fixture.SubmittedHtmlId, Assert.Single(Ids(byPlace)));

        var combined = await GetJsonAsync("api/documents?person=Trong&place=Lagos");
        Assert.Equal(0, combined.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Search_sorts_by_date_newest_first_and_undated_last()
    {
        var page = await GetJsonAsync("api/documents?sort=date&pageSize=50");
        var hits = page.GetProperty("hits").EnumerateArray().ToList();
        var dates = hits
            .Select(h => h.GetProperty("publishedOn").ValueKind == JsonValueKind.Null ? null : h.GetProperty("publishedOn").GetString())
            .ToList();
        // The total counts documents; the page folds reprints under their originals.
        Assert.Equal(page.GetProperty("total").GetInt64(), dates.Count + hits.Sum(h => h.GetProperty("reprints").GetArrayLength()));
        var dated = dates.TakeWhile(d => d is not null).ToList();
        Assert.NotEmpty(dated);
        Assert.All(dates.Skip(dated.Count), d => Assert.Null(d));
        Assert.Equal(dated.OrderDescending(StringComparer.Ordinal), dated);
    }

    [Theory]
    [InlineData("api/documents?q=x&from=2020-02-30", "from")]
    [InlineData("api/documents?q=x&to=03/12/2020", "to")]
    [InlineData("api/documents?q=x&from=2021-01-01&to=2020-01-01", "to")]
    [InlineData("api/documents?q=x&pageSize=51", "pageSize")]
    [InlineData("api/documents?q=x&pageSize=0", "pageSize")]
    [InlineData("api/documents?q=x&page=-1", "page")]
    [InlineData("api/documents?q=x&page=1e3", "page")]
    [InlineData("api/documents?q=x&sort=title", "sort")]
    [InlineData("api/entities?type=people", "type")]
    [InlineData("api/entities?limit=1000", "limit")]
    [InlineData("api/stories?pageSize=51", "pageSize")]
    [InlineData("api/stories?page=0", "page")]
    public async Task Invalid_parameters_are_a_validation_problem(string path, string parameter)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("'; DROP TABLE documents; --")]
    [InlineData("\") OR 1=1 --")]
    [InlineData("NEAR(russia vietnam) title:* ^x")]
    public async Task Hostile_text_is_only_ever_text(string text)
    {
        var escaped = Uri.EscapeDataString(text);
        await GetJsonAsync($"api/documents?q={escaped}");
        await GetJsonAsync($"api/documents?person={escaped}&org={escaped}&place={escaped}");
        await GetJsonAsync($"api/entities?q={escaped}");
        var everything = await GetJsonAsync("api/documents?pageSize=50");
        Assert.Equal(await fixture.Store.CountAsync(CancellationToken.None), everything.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Like_wildcards_in_filters_are_literal()
    {
        var page = await GetJsonAsync("api/documents?person=%25");
        Assert.Equal(0, page.GetProperty("total").GetInt64());
        var underscore = await GetJsonAsync("api/entities?q=_");
        Assert.Empty(underscore.GetProperty("entities").EnumerateArray());
    }

    [Fact]
    public async Task A_document_comes_with_its_entities_analysis_and_raw_original()
    {
        var seed = Path.Combine(RepositoryPaths.Seeds, "vna-2020-12-03-vnukov.txt");
        var bytes = await File.ReadAllBytesAsync(seed);
        var id = DocumentId.FromContent(bytes);
        var document = await GetJsonAsync("api/documents/" + id);
        Assert.Equal(id, document.GetProperty("documentId").GetString());
        Assert.Equal("2020-12-03", document.GetProperty("publishedOn").GetString());
        Assert.Equal("Hanoi", document.GetProperty("dateline").GetProperty("place").GetString());
        Assert.NotEmpty(document.GetProperty("keywords").EnumerateArray());
        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("summary").GetString()));

        var text = document.GetProperty("text").GetString()!;
        var trong = document.GetProperty("entities").EnumerateArray()
            .First(e => e.GetProperty("entityId").GetString() == Trong);
        Assert.Equal("person", trong.GetProperty("type").GetString());
        Assert.Equal(
            trong.GetProperty("text").GetString(),
            text[trong.GetProperty("start").GetInt32()..trong.GetProperty("end").GetInt32()]);

        var raw = document.GetProperty("raw");
        Assert.Equal(bytes.Length, raw.GetProperty("bytes").GetInt32());
        using var response = await Client.GetAsync(raw.GetProperty("url").GetString()!.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_problems()
    {
        var missing = await GetJsonAsync("api/documents/" + new string('a', 64), HttpStatusCode.NotFound);
        Assert.Equal(404, missing.GetProperty("status").GetInt32());
        await GetJsonAsync("api/documents/not-an-id", HttpStatusCode.BadRequest);
        await GetJsonAsync("api/entities/person:Nobody%20Anybody", HttpStatusCode.NotFound);
        await GetJsonAsync("api/entities/no-type-here", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Entities_are_listed_by_type_and_name()
    {
        var list = await GetJsonAsync("api/entities?type=person&q=phu%20trong");
        var entity = Assert.Single(list.GetProperty("entities").EnumerateArray());
        Assert.Equal(JsonValueKind.String, entity.GetProperty("entityId").ValueKind); // related: the archive entity
        Assert.Equal(entity.GetProperty("entityId").GetString(), entity.GetProperty("id").GetString());
        Assert.Equal(2, entity.GetProperty("documents").GetInt64());

        var all = await GetJsonAsync("api/entities?limit=5");
        Assert.Equal(5, all.GetProperty("entities").GetArrayLength());
    }

    [Fact]
    public async Task An_entity_has_aliases_documents_and_co_occurring_entities()
    {
        var entity = await GetJsonAsync("api/entities/" + Uri.EscapeDataString(Trong));
        Assert.Equal("Nguyen Phu Trong", entity.GetProperty("name").GetString());
        Assert.Equal(2, entity.GetProperty("documentCount").GetInt64());
        Assert.Equal(2, entity.GetProperty("documents").GetArrayLength());
        Assert.Contains(entity.GetProperty("aliases").EnumerateArray(), a => a.GetProperty("text").GetString() == "Nguyen Phu Trong");
        var related = entity.GetProperty("coOccurring").EnumerateArray().ToList();
        var russia = Assert.Single(related, r => r.GetProperty("id").GetString() == "location:Russia");
        Assert.Equal(2, russia.GetProperty("sharedDocuments").GetInt64());
        Assert.DoesNotContain(related, r => r.GetProperty("id").GetString() == Trong);
        var shared = related.Select(r => r.GetProperty("sharedDocuments").GetInt64()).ToList();
        Assert.Equal(shared.OrderDescending(), shared);
    }

    /// <summary>Each stored document's relation as the document endpoint gives it: what the lists must agree with.</summary>
    private async Task<Dictionary<string, JsonElement>> RelationsAsync()
    {
        var relations = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var id in fixture.DocumentIds)
        {
            relations[id] = (await GetJsonAsync("api/documents/" + id)).GetProperty("relation");
        }

        return relations;
    }

    [Fact]
    public async Task Stories_are_listed_with_their_reports_reprints_and_entities()
    {
        var relations = await RelationsAsync();
        var list = await GetJsonAsync("api/stories?pageSize=50");
        var stories = list.GetProperty("stories").EnumerateArray().ToList();
        Assert.Equal(list.GetProperty("total").GetInt64(), stories.Count);
        Assert.Equal(relations.Values.Select(r => r.GetProperty("storyId").GetString()).Distinct().Count(), stories.Count);
        foreach (var story in stories)
        {
            var members = relations.Where(r => r.Value.GetProperty("storyId").GetString() == story.GetProperty("storyId").GetString()).ToList();
            var reprints = members.Count(m => m.Value.GetProperty("duplicateOf").ValueKind == JsonValueKind.String);
            Assert.Equal(members.Count - reprints, story.GetProperty("reports").GetInt64());
            Assert.Equal(reprints, story.GetProperty("reprints").GetInt64());
            var first = story.GetProperty("firstDocumentId").GetString()!;
            Assert.Equal(JsonValueKind.Null, relations[first].GetProperty("duplicateOf").ValueKind);
            Assert.True(story.GetProperty("entities").GetArrayLength() <= 5);
        }

        var lastDates = stories.Select(s => s.GetProperty("lastDate").GetString()!).ToList();
        Assert.Equal(lastDates.OrderDescending(StringComparer.Ordinal), lastDates);
        var visit = Assert.Single(stories, s => s.GetProperty("storyId").GetString() == fixture.VisitStoryId);
        Assert.True(visit.GetProperty("reprints").GetInt64() >= 1, visit.ToString());
        Assert.NotEmpty(visit.GetProperty("entities").EnumerateArray());
    }

    [Fact]
    public async Task A_story_has_a_timeline_with_reprints_folded_entities_and_evidence()
    {
        var relations = await RelationsAsync();
        var story = await GetJsonAsync("api/stories/" + fixture.VisitStoryId);
        var members = relations.Where(r => r.Value.GetProperty("storyId").GetString() == fixture.VisitStoryId).ToList();
        var timeline = story.GetProperty("timeline").EnumerateArray().ToList();

        // Every document of the story once: the originals on the timeline, each copy under the one it copies.
        Assert.Equal(
            members.Where(m => m.Value.GetProperty("duplicateOf").ValueKind == JsonValueKind.Null).Select(m => m.Key).Order(StringComparer.Ordinal),
            timeline.Select(r => r.GetProperty("documentId").GetString()!).Order(StringComparer.Ordinal));
        foreach (var report in timeline)
        {
            Assert.Equal(
                members.Where(m => m.Value.GetProperty("duplicateOf").GetString() == report.GetProperty("documentId").GetString()).Select(m => m.Key).Order(StringComparer.Ordinal),
                report.GetProperty("reprints").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()!).Order(StringComparer.Ordinal));
            Assert.Contains(report.GetProperty("evidence").GetProperty("story").GetProperty("rule").GetString(), (string[])["opened", "joined"]);
        }

        var dates = timeline.Select(r => r.GetProperty("date").GetString()!).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates);
        Assert.Equal(timeline[0].GetProperty("title").GetString(), story.GetProperty("title").GetString());
        Assert.Equal(timeline.Count, story.GetProperty("reports").GetInt64());

        // The submitted story's reprint: a new headline, cut after its first paragraph.
        var original = Assert.Single(timeline, r => r.GetProperty("documentId").GetString() == fixture.SubmittedTextId);
        var reprint = Assert.Single(original.GetProperty("reprints").EnumerateArray());
        Assert.Equal(fixture.ReprintId, reprint.GetProperty("documentId").GetString());
        Assert.False(string.IsNullOrEmpty(reprint.GetProperty("evidence").GetProperty("rule").GetString()));
        var changes = reprint.GetProperty("changes");
        Assert.Equal("Hanoi and Moscow eye energy deals", changes.GetProperty("newHeadline").GetString());
        Assert.Equal(original.GetProperty("words").GetInt32(), changes.GetProperty("originalWords").GetInt32());
        Assert.Equal(changes.GetProperty("words").GetInt32(), changes.GetProperty("cutAfterWords").GetInt32());
        Assert.Equal(1, changes.GetProperty("removedSentences").GetInt32()); // the sentence about trade with Russia

        var entities = story.GetProperty("entities").EnumerateArray().ToList();
        var chinh = Assert.Single(entities, e => e.GetProperty("name").GetString() == "Pham Minh Chinh");
        Assert.Equal(await ArchiveEntityIdAsync("person", "Pham Minh Chinh"), chinh.GetProperty("entityId").GetString());
        Assert.True(chinh.GetProperty("documents").GetInt64() >= 2, chinh.ToString()); // the original and its reprint
        var counts = entities.Select(e => e.GetProperty("documents").GetInt64()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);

        await GetJsonAsync("api/stories/story-none", HttpStatusCode.NotFound);
        await GetJsonAsync("api/stories/" + new string('x', 201), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task People_are_archive_wide_with_their_names_roles_stories_and_company()
    {
        // The seeds write him "Vladimir Putin" in one report and "V. Putin" in the other: one person, one row.
        var list = await GetJsonAsync("api/entities?type=person&q=putin");
        var putin = Assert.Single(list.GetProperty("entities").EnumerateArray());
        Assert.Equal(
            ["V. Putin", "Vladimir Putin"],
            putin.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).Append(putin.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(2, putin.GetProperty("documents").GetInt64());

        var trongId = await ArchiveEntityIdAsync("person", "Nguyen Phu Trong");
        var trong = await GetJsonAsync("api/entities/" + Uri.EscapeDataString(trongId));
        Assert.Equal(trongId, trong.GetProperty("id").GetString());
        Assert.Equal("Nguyen Phu Trong", trong.GetProperty("name").GetString());
        Assert.Equal(2, trong.GetProperty("documentCount").GetInt64());
        Assert.Equal(
            trong.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("storyId").GetString()).Distinct().Order(StringComparer.Ordinal),
            trong.GetProperty("stories").EnumerateArray().Select(s => s.GetProperty("storyId").GetString()).Order(StringComparer.Ordinal));
        var company = trong.GetProperty("coOccurring").EnumerateArray().ToList();
        Assert.Contains(company, c => c.GetProperty("id").GetString() == putin.GetProperty("entityId").GetString() && c.GetProperty("sharedDocuments").GetInt64() == 2);
        Assert.Contains(company, c => c.GetProperty("name").GetString() == "Russia");
        Assert.All(company, c => Assert.Equal(c.GetProperty("entityId").GetString(), c.GetProperty("id").GetString()));
        var dates = trong.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("date").GetString()!).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates);

        // The per-name entity is still there, under its old id.
        Assert.Equal(JsonValueKind.Null, (await GetJsonAsync("api/entities/" + Uri.EscapeDataString(Trong))).GetProperty("entityId").ValueKind);
    }

    [Fact]
    public async Task A_document_carries_its_relation_and_each_mention_its_archive_entity()
    {
        var reprint = await GetJsonAsync("api/documents/" + fixture.ReprintId);
        var relation = reprint.GetProperty("relation");
        Assert.Equal(fixture.VisitStoryId, relation.GetProperty("storyId").GetString());
        Assert.Equal(fixture.SubmittedTextId, relation.GetProperty("duplicateOf").GetString());
        Assert.Equal("reprint", relation.GetProperty("evidence").GetProperty("story").GetProperty("rule").GetString());
        Assert.True(relation.GetProperty("evidence").GetProperty("duplicate").GetProperty("containment").GetDouble() >= 0.8, relation.ToString());
        var chinhId = await ArchiveEntityIdAsync("person", "Pham Minh Chinh");
        Assert.Contains(chinhId, relation.GetProperty("entityIds").EnumerateArray().Select(e => e.GetString()));
        var chinh = reprint.GetProperty("entities").EnumerateArray().First(e => e.GetProperty("text").GetString() == "Pham Minh Chinh");
        Assert.Equal(chinhId, chinh.GetProperty("archiveEntityId").GetString());

        var original = await GetJsonAsync("api/documents/" + fixture.SubmittedTextId);
        Assert.Equal([fixture.ReprintId], original.GetProperty("relation").GetProperty("reprints").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Pipeline_reports_per_stage_counts_and_queues()
    {
        var stored = await fixture.Store.CountAsync(CancellationToken.None);
        var pipeline = await GetJsonAsync("api/pipeline");
        for (var i = 0; i < 40 && StoreDone(pipeline) < stored; i++)
        {
            await Task.Delay(250); // DocumentStored reaches the monitor just after the row is committed
            pipeline = await GetJsonAsync("api/pipeline");
        }

        Assert.Equal(stored, pipeline.GetProperty("documents").GetInt64());
        var stages = pipeline.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal(["Ingest", "Clean", "Extract", "Store", "Relate"], stages.Keys);
        Assert.True(stages["Store"].GetProperty("done").GetInt64() >= stored, pipeline.ToString());
        Assert.True(stages["Ingest"].GetProperty("done").GetInt64() >= fixture.DroppedFiles.Count + 2, pipeline.ToString());
        Assert.Equal("clean", stages["Clean"].GetProperty("queue").GetProperty("name").GetString());
        Assert.Equal("clean_error", stages["Clean"].GetProperty("errorQueue").GetProperty("name").GetString());
        Assert.Equal(60, pipeline.GetProperty("throughput").GetArrayLength());
        Assert.True(pipeline.GetProperty("throughput").EnumerateArray().Sum(p => p.GetProperty("stored").GetInt32()) >= stored);
        await CheckQueueSourceAsync(pipeline, () => GetJsonAsync("api/pipeline"));
    }

    private static long StoreDone(JsonElement pipeline) =>
        pipeline.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "Store").GetProperty("done").GetInt64();

    /// <summary>Where queue figures come from on this fixture's bus.</summary>
    protected abstract Task CheckQueueSourceAsync(JsonElement pipeline, Func<Task<JsonElement>> refresh);

    protected static JsonElement Stage(JsonElement pipeline, string name) =>
        pipeline.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Submitted_documents_go_through_the_pipeline_and_are_searchable()
    {
        var page = await GetJsonAsync("api/documents?q=quokkaberry");
        Assert.Equal(
            new[] { fixture.SubmittedHtmlId, fixture.SubmittedTextId }.Order(StringComparer.Ordinal),
            Ids(page).Order(StringComparer.Ordinal));
        var story = page.GetProperty("hits").EnumerateArray().Single(h => h.GetProperty("documentId").GetString() == fixture.SubmittedTextId);
        var reprint = Assert.Single(story.GetProperty("reprints").EnumerateArray()); // folded: "+1 reprint"
        Assert.Equal(fixture.ReprintId, reprint.GetProperty("documentId").GetString());
        Assert.Equal(fixture.VisitStoryId, story.GetProperty("storyId").GetString());
        var html = await GetJsonAsync("api/documents/" + fixture.SubmittedHtmlId);
        Assert.Equal("Lagos port handles record cargo", html.GetProperty("title").GetString());
        Assert.Equal("lagos-port.html", html.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Submitting_needs_the_api_key_and_a_body()
    {
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/documents") { Content = new StringContent("text") })
        {
            using var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/documents") { Content = new StringContent("text") })
        {
            request.Headers.Add("X-Api-Key", "wrong");
            using var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/documents") { Content = new StringContent(string.Empty) })
        {
            request.Headers.Add("X-Api-Key", ApiFixture.ApiKey);
            using var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_OpenAPI_description_and_the_page_are_served()
    {
        var openApi = await GetJsonAsync("openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        foreach (var path in (string[])["/api/documents", "/api/documents/{id}", "/api/entities", "/api/entities/{id}", "/api/stories", "/api/stories/{id}", "/api/pipeline"])
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        using var page = await Client.GetAsync(string.Empty);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/assets/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        using var script = await Client.GetAsync("assets/app.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}

[Collection(SqlitePipeline.Name)]
public sealed class SqliteApiTests(SqliteApiFixture fixture) : ApiTests(fixture)
{
    protected override Task CheckQueueSourceAsync(JsonElement pipeline, Func<Task<JsonElement>> refresh)
    {
        Assert.Equal("in-memory", pipeline.GetProperty("transport").GetString());
        Assert.Equal("monitor", pipeline.GetProperty("queueSource").GetString());
        Assert.Equal(0, Stage(pipeline, "Store").GetProperty("queue").GetProperty("messages").GetInt64());
        return Task.CompletedTask;
    }
}

[Collection(PostgresPipeline.Name)]
[Trait("Category", "Servers")]
public sealed class PostgresApiTests(PostgresApiFixture fixture) : ApiTests(fixture)
{
    protected override async Task CheckQueueSourceAsync(JsonElement pipeline, Func<Task<JsonElement>> refresh)
    {
        Assert.Equal("rabbitmq", pipeline.GetProperty("transport").GetString());
        Assert.Equal("rabbitmq-management", pipeline.GetProperty("queueSource").GetString());
        // The broker refreshes its statistics every few seconds: a new consumer shows up a little later.
        for (var i = 0; i < 60 && Consumers(pipeline) < 1; i++)
        {
            await Task.Delay(250);
            pipeline = await refresh();
        }

        Assert.True(Consumers(pipeline) >= 1, pipeline.ToString());
    }

    private static long Consumers(JsonElement pipeline) =>
        Stage(pipeline, "Clean").GetProperty("queue").GetProperty("consumers").GetInt64();
}

/// <summary><c>pipeline search</c> and <c>GET /api/documents</c> are one query implementation: same hits, same snippets.</summary>
[Collection(SqlitePipeline.Name)]
public sealed class CliSearchTests(SqliteApiFixture fixture)
{
    [Fact]
    public async Task Pipeline_search_answers_like_the_api()
    {
        var data = Path.GetDirectoryName(fixture.SqlitePath)!;
        await using var cli = ServiceProcess.Start(
            RepositoryPaths.ServiceAssembly("Pipeline.Cli", "pipeline"),
            ["search", "Russia", "--place", "Hanoi", "--data", data],
            new Dictionary<string, string> { ["Storage__PostgresConnectionString"] = string.Empty });
        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromMinutes(1)));
        var lines = cli.Output.Split(Environment.NewLine).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        var api = await fixture.Client.GetFromJsonAsync<JsonElement>("api/documents?q=Russia&place=Hanoi&pageSize=20");
        var hits = api.GetProperty("hits").EnumerateArray().ToList();
        Assert.NotEmpty(hits);
        Assert.Equal(hits.Count, lines.Count);
        for (var i = 0; i < hits.Count; i++)
        {
            foreach (var field in (string[])["documentId", "title", "snippet", "publishedOn"])
            {
                Assert.Equal(hits[i].GetProperty(field).ToString(), lines[i].GetProperty(field).ToString());
            }

            Assert.True(lines[i].TryGetProperty("rank", out _));
        }
    }
}
