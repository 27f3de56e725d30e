using Microsoft.Playwright;
using Pipeline.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Pipeline.Api.Tests;

/// <summary>
/// The page in a real browser: Debian's Chromium driven by Playwright (the Playwright browser download cannot
/// work offline; tests/run.sh installs <c>chromium</c> with apt). Screenshots go to a temp folder; with
/// <c>PIPELINE_UPDATE_DOCS=1</c> the document view is also saved as <c>docs/screenshot.png</c> for the README.
/// </summary>
[Collection(SqlitePipeline.Name)]
[Trait("Category", "Servers")]
public sealed class BrowserTests(SqliteApiFixture fixture, ITestOutputHelper output)
{
    private static readonly string Chromium = Environment.GetEnvironmentVariable("PIPELINE_CHROMIUM") ?? "/usr/bin/chromium";

    [Fact]
    public async Task Search_open_a_result_see_the_person_marked_and_open_the_entity()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (tests/run.sh does)");
        var artifacts = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pipeline-screenshots")).FullName;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 860 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };

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
        await Expect(page.Locator("table.stages tbody tr")).ToHaveCountAsync(4);
        await Expect(page.Locator("svg.chart rect").First).ToBeAttachedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "pipeline.png") });

        Assert.Empty(errors);
        output.WriteLine($"screenshots in {artifacts}");
        if (Environment.GetEnvironmentVariable("PIPELINE_UPDATE_DOCS") == "1")
        {
            // The README's picture: the wire story, where every mention of the party chief is a person.
            var seed = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Seeds, "vna-2020-12-03-vnukov.txt"));
            await page.GotoAsync(new Uri(fixture.BaseAddress, "#/documents/" + Pipeline.Contracts.DocumentId.FromContent(seed)).ToString());
            await Expect(page.Locator("mark.entity.person").First).ToBeVisibleAsync();
            var docs = Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "docs")).FullName;
            await page.ScreenshotAsync(new() { Path = Path.Combine(docs, "screenshot.png") });
            output.WriteLine($"updated {Path.Combine(docs, "screenshot.png")}");
        }
    }
}
