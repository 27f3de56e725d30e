using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Pipeline.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Pipeline.Api.Tests;

/// <summary>
/// The page in a real browser: Debian's Chromium driven by Playwright (the Playwright browser download cannot
/// work offline; tests/run.sh installs <c>chromium</c> with apt). Screenshots go to a temp folder; with
/// <c>PIPELINE_UPDATE_DOCS=1</c> the document view is also saved as <c>docs/screenshot.png</c> and the story view as
/// <c>docs/screenshot-story.png</c> for the README.
/// </summary>
[Collection(SqlitePipeline.Name)]
[Trait("Category", "Servers")]
public sealed class BrowserTests(SqliteApiFixture fixture, ITestOutputHelper output)
{
    private static readonly string Chromium = Environment.GetEnvironmentVariable("PIPELINE_CHROMIUM") ?? "/usr/bin/chromium";

    [Fact]
    public async Task Search_open_a_result_see_the_person_marked_and_open_the_entity()
    {
        await using var browser = await BrowserSession.StartAsync();
        var (page, errors, artifacts) = (browser.Page, browser.Errors, browser.Artifacts);

        await page.GotoAsync(fixture.BaseAddress.ToString());
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search the archive" }).FillAsync("Russia");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        var results = page.Locator("ol.results > li");
        await Expect(results).ToHaveCountAsync(3);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("3 documents");
        await Expect(results.First.Locator("mark").First).ToHaveTextAsync("Russia");
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "search.png") });

        await results.First.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Vietnam treasures cooperative relations with Russia");
        // Marked as a person (the extractor may type a single mention differently: that is its business).
        var person = page.Locator("mark.entity.person", new() { HasText = "Nguyen Phu Trong" }).First;
        await Expect(person).ToBeVisibleAsync();
        await Expect(person).ToHaveAttributeAsync("data-type", "person");
        await Expect(person).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bperson\b"));
        await Expect(page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^raw file") })).ToBeVisibleAsync();
        var documentShot = Path.Combine(artifacts, "document.png");
        await page.ScreenshotAsync(new() { Path = documentShot });

        await person.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Nguyen Phu Trong");
        var appearsWith = page.Locator("ol.co-occurring > li");
        await Expect(appearsWith.Filter(new() { HasText = "Russia" }).First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Documents" }).Locator("li")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "entity.png") });

        await page.GetByRole(AriaRole.Link, new() { Name = "Pipeline", Exact = true }).ClickAsync();
        await Expect(page.Locator("table.stages tbody tr")).ToHaveCountAsync(5);
        await Expect(page.Locator("svg.chart rect").First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "pipeline.png") });

        Assert.Empty(errors);
        output.WriteLine($"screenshots in {artifacts}");
        if (UpdateDocs)
        {
            // The README's picture: the wire story, where every mention of the party chief is a person.
            var seed = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Seeds, "vna-2020-12-03-vnukov.txt"));
            await page.GotoAsync(new Uri(fixture.BaseAddress, "#/documents/" + Pipeline.Contracts.DocumentId.FromContent(seed)).ToString());
            await Expect(page.Locator("mark.entity.person").First).ToBeVisibleAsync();
            await SaveForDocsAsync(page, "screenshot.png");
        }
    }

    [Fact]
    public async Task A_search_hit_folds_its_reprint_and_leads_to_its_story_and_the_people_in_it()
    {
        await using var browser = await BrowserSession.StartAsync();
        var (page, errors, artifacts) = (browser.Page, browser.Errors, browser.Artifacts);

        await page.GotoAsync(new Uri(fixture.BaseAddress, "#/search?q=quokkaberry").ToString());
        var results = page.Locator("ol.results > li");
        await Expect(results).ToHaveCountAsync(2); // three documents: the reprint is folded under its original
        var visit = results.Filter(new() { HasText = "+1 reprint" });
        await Expect(visit).ToHaveCountAsync(1);
        await visit.GetByText("+1 reprint").ClickAsync();
        await Expect(visit.GetByRole(AriaRole.Link, new() { Name = "Hanoi and Moscow eye energy deals" })).ToBeVisibleAsync();

        // The page shows what the API says the relate stage decided.
        var story = await fixture.Client.GetFromJsonAsync<JsonElement>("api/stories/" + fixture.VisitStoryId);
        var storyTitle = story.GetProperty("title").GetString()!;
        await visit.GetByRole(AriaRole.Link, new() { Name = "story", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(storyTitle);
        var reports = page.Locator("ol.timeline > li.report");
        await Expect(reports).ToHaveCountAsync(story.GetProperty("timeline").GetArrayLength());
        var original = reports.Filter(new() { HasText = "Chinh and Chernyshenko discuss energy" });
        var reprint = original.Locator("li.reprint");
        await Expect(reprint).ToHaveCountAsync(1);
        await Expect(reprint).ToContainTextAsync("New headline: Hanoi and Moscow eye energy deals");
        await Expect(reprint).ToContainTextAsync("Cut after");
        var evidence = original.Locator("details.evidence");
        await evidence.Locator("summary").ClickAsync();
        await Expect(evidence).ToContainTextAsync("Rule");
        var involved = page.GetByRole(AriaRole.Complementary, new() { Name = "Involved" });
        var chinh = involved.GetByRole(AriaRole.Link, new() { Name = "Pham Minh Chinh", Exact = true });
        await Expect(chinh).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "story.png") });
        if (UpdateDocs)
        {
            await SaveForDocsAsync(page, "screenshot-story.png");
        }

        await chinh.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Pham Minh Chinh");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Stories" })).ToContainTextAsync(storyTitle);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Roles over time" })).ToBeVisibleAsync();
        await Expect(page.Locator("ol.co-occurring > li", new() { HasText = "Dmitry Chernyshenko" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "archive-entity.png") });

        // One person however the reports write him.
        await page.GotoAsync(new Uri(fixture.BaseAddress, "#/entities?type=person&q=putin").ToString());
        var rows = page.Locator("table tbody tr");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows).ToContainTextAsync("also");
        await rows.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Putin");
        await Expect(page.Locator("section.entity-view > p.meta")).ToContainTextAsync("also known as");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Documents" }).Locator("li")).ToHaveCountAsync(2);

        await page.GetByRole(AriaRole.Link, new() { Name = "Stories", Exact = true }).ClickAsync();
        await Expect(page.Locator("ol.results > li.story", new() { HasText = storyTitle })).ToContainTextAsync("reprint");

        Assert.Empty(errors);
    }

    private static bool UpdateDocs => Environment.GetEnvironmentVariable("PIPELINE_UPDATE_DOCS") == "1";

    private async Task SaveForDocsAsync(IPage page, string name)
    {
        var docs = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "docs")).FullName;
        await page.ScreenshotAsync(new() { Path = Path.Combine(docs, name) });
        output.WriteLine($"updated {Path.Combine(docs, name)}");
    }

    /// <summary>Headless Chromium with one page, collecting the page's script errors.</summary>
    private sealed class BrowserSession : IAsyncDisposable
    {
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;

        private BrowserSession(IPlaywright playwright, IBrowser browser, IPage page)
        {
            (_playwright, _browser, Page) = (playwright, browser, page);
            page.PageError += (_, error) => Errors.Add(error);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    Errors.Add(message.Text);
                }
            };
        }

        public IPage Page { get; }

        public List<string> Errors { get; } = [];

        public string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pipeline-screenshots")).FullName;

        public static async Task<BrowserSession> StartAsync()
        {
            Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (tests/run.sh does)");
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                ],
            });
            return new BrowserSession(playwright, browser, await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } }));
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }
}
