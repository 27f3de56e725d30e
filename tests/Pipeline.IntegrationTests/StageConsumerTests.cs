using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Stages;
using Pipeline.Stages.Ingest;
using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>The consumers with their definitions on MassTransit's test harness (in-memory transport).</summary>
public sealed class StageConsumerTests
{
    [Fact]
    public async Task Clean_publishes_the_article_found_in_an_ingested_file()
    {
        using var host = await StartAsync(PipelineStages.Clean);
        var harness = host.Services.GetTestHarness();
        var content = TestDocuments.Seed(TestDocuments.ScrapedSeed);

        await harness.Bus.Publish(await IngestedAsync(host, "page.txt", content));

        var cleaned = await harness.Published.SelectAsync<DocumentCleaned>().FirstOrDefault();
        Assert.NotNull(cleaned);
        Assert.Equal(DocumentId.FromContent(content), cleaned.Context.Message.DocumentId);
        Assert.Contains("Russia", cleaned.Context.Message.Article.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("Related News", cleaned.Context.Message.Article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_can_never_be_cleaned_faults_without_retrying()
    {
        using var host = await StartAsync(PipelineStages.Clean);
        var harness = host.Services.GetTestHarness();
        byte[] binary = [0x00, 0xFF, 0x10, 0x00, 0x89, 0x50, 0x4E, 0x47, 0x00, 0x00];

        await harness.Bus.Publish(await IngestedAsync(host, "image.png", binary));

        var fault = await harness.Published.SelectAsync<Fault<DocumentIngested>>().FirstOrDefault();
        Assert.NotNull(fault);
        Assert.Equal(typeof(InvalidDocumentException).FullName, fault.Context.Message.Exceptions[0].ExceptionType);
        // Retried messages are consumed again; an invalid document is consumed exactly once.
        Assert.Single(await harness.Consumed.SelectAsync<DocumentIngested>().ToListAsync());
        Assert.False(await harness.Published.Any<DocumentCleaned>());
    }

    [Fact]
    public async Task Extract_publishes_a_complete_document_with_typed_entities()
    {
        using var host = await StartAsync(PipelineStages.Clean, PipelineStages.Extract);
        var harness = host.Services.GetTestHarness();
        var content = TestDocuments.Seed(TestDocuments.WireSeed);

        await harness.Bus.Publish(await IngestedAsync(host, "wire.txt", content));

        var extracted = await harness.Published.SelectAsync<DocumentExtracted>().FirstOrDefault();
        Assert.NotNull(extracted);
        var analysis = extracted.Context.Message.Analysis;
        Assert.Contains(analysis.Entities, e => e is { Type: EntityTypes.Person, Text: "Nguyen Phu Trong" });
        Assert.Equal("2020-12-03", analysis.Dateline?.Date);
    }

    [Fact]
    public async Task Store_removes_the_claim_check_and_acknowledges_a_redelivery_of_a_stored_document()
    {
        using var host = await StartAsync(PipelineStages.Clean, PipelineStages.Extract, PipelineStages.Store);
        var harness = host.Services.GetTestHarness();
        var claimChecks = Assert.IsType<InMemoryClaimChecks>(host.Services.GetRequiredService<IClaimChecks>());

        await harness.Bus.Publish(await IngestedAsync(host, "wire.txt", TestDocuments.Seed(TestDocuments.WireSeed)));

        Assert.True(await harness.Published.Any<DocumentStored>(m => m.Context.Message.Inserted));
        Assert.Equal(0, claimChecks.Count);

        // The same message once more, as when an acknowledgement is lost: its claim check is gone, its document stored.
        var extracted = (await harness.Published.SelectAsync<DocumentExtracted>().First()).Context.Message;
        await harness.Bus.Publish(extracted);

        Assert.True(await harness.Published.Any<DocumentStored>(m => !m.Context.Message.Inserted));
        Assert.False(await harness.Published.Any<Fault<DocumentExtracted>>());
    }

    [Fact]
    public async Task A_large_article_and_its_analysis_travel_as_claim_checks_and_are_stored_whole()
    {
        using var host = await StartAsync(
            [PipelineStages.Clean, PipelineStages.Extract, PipelineStages.Store], _ => { }, new MessagingOptions { InlineArticleChars = 5000 });
        var harness = host.Services.GetTestHarness();
        var claimChecks = Assert.IsType<InMemoryClaimChecks>(host.Services.GetRequiredService<IClaimChecks>());
        var content = LargeStories.Of(20_000);

        await harness.Bus.Publish(await IngestedAsync(host, "large.txt", content));

        Assert.True(await harness.Published.Any<DocumentStored>(m => m.Context.Message.Inserted));
        var cleaned = (await harness.Published.SelectAsync<DocumentCleaned>().First()).Context.Message;
        var extracted = (await harness.Published.SelectAsync<DocumentExtracted>().First()).Context.Message;
        Assert.NotNull(cleaned.ArticleBody);
        Assert.Empty(cleaned.Article.Text);
        Assert.Equal("Harbour expansion report", cleaned.Article.Title);
        Assert.Equal(cleaned.ArticleBody.Address, extracted.ArticleBody?.Address);
        Assert.NotNull(extracted.AnalysisBody);
        Assert.Empty(extracted.Analysis.Entities);

        var stored = await host.Services.GetRequiredService<Pipeline.Storage.IDocumentStore>().GetAsync(cleaned.DocumentId, default);
        Assert.NotNull(stored);
        Assert.True(stored.Text.Length > 19_000, $"stored {stored.Text.Length} characters");
        Assert.Equal("Harbour expansion report", stored.Title);
        Assert.NotEmpty(stored.Keywords);
        Assert.Equal(0, claimChecks.Count);
    }

    [Fact]
    public async Task Ingest_holds_files_back_while_too_many_documents_are_in_flight()
    {
        var gauge = new InFlightGauge { InFlight = 3 };
        using var host = await StartAsync([PipelineStages.Ingest], builder =>
        {
            builder.Configuration["Ingest:MaxInFlight"] = "3";
            builder.Configuration["Ingest:SettleTime"] = "00:00:00.100";
            builder.Services.AddSingleton<IInFlightDocuments>(gauge);
        });
        var harness = host.Services.GetTestHarness();
        var story = Path.Combine(host.Services.GetRequiredService<IConfiguration>()["Ingest:DropFolder"]!, "story.txt");
        await File.WriteAllTextAsync(story, "Held back\n\nA story that waits until there is room for it.");

        // Without the limit the file is published within a few tenths of a second (its settle time is 0.1 s).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(harness.Published.Select<DocumentIngested>());
        Assert.True(File.Exists(story));

        // The harness stops waiting once the bus has been quiet for a while, so poll instead of waiting on it.
        gauge.InFlight = 2;
        for (var tries = 0; tries < 100 && !harness.Published.Select<DocumentIngested>().Any(); tries++)
        {
            await Task.Delay(100);
        }

        Assert.Single(harness.Published.Select<DocumentIngested>());
    }

    [Fact]
    public async Task Relate_decides_each_stored_document_once_and_repeats_the_decision_on_redelivery()
    {
        using var host = await StartAsync(PipelineStages.Clean, PipelineStages.Extract, PipelineStages.Store, PipelineStages.Relate);
        var harness = host.Services.GetTestHarness();

        await harness.Bus.Publish(await IngestedAsync(host, "wire.txt", TestDocuments.Seed(TestDocuments.WireSeed)));
        var first = (await harness.Published.SelectAsync<DocumentRelated>().First()).Context.Message;
        await harness.Bus.Publish(await IngestedAsync(host, "page.txt", TestDocuments.Seed(TestDocuments.ScrapedSeed)));
        var second = (await harness.Published.SelectAsync<DocumentRelated>(r => r.Context.Message.DocumentId != first.DocumentId).First()).Context.Message;

        // Two meetings eight months apart: two stories, with one party leader across them.
        Assert.NotEqual(first.StoryId, second.StoryId);
        Assert.Null(second.DuplicateOf);
        static string TrongOf(DocumentRelated r) =>
            Assert.Single(r.Entities, e => e.Type == EntityTypes.Person && e.Name.EndsWith("Phu Trong", StringComparison.Ordinal)).EntityId;
        Assert.Equal(TrongOf(first), TrongOf(second));

        // The store's announcement once more, as after a lost acknowledgement: the same decision, nothing new.
        var stored = harness.Published.Select<DocumentStored>().First(m => m.Context.Message.DocumentId == first.DocumentId).Context.Message;
        await harness.Bus.Publish(stored);
        await harness.Consumed.Any<DocumentStored>(m => m.Context.Message == stored && harness.Consumed.Select<DocumentStored>().Count() == 3);
        var decisions = harness.Published.Select<DocumentRelated>(r => r.Context.Message.DocumentId == first.DocumentId).ToList();
        Assert.Equal(2, decisions.Count);
        var again = decisions[1].Context.Message;
        Assert.Equal((first.StoryId, first.DuplicateOf), (again.StoryId, again.DuplicateOf));
        Assert.Equal(first.EntityIds, again.EntityIds);
    }

    private static async Task<DocumentIngested> IngestedAsync(IHost host, string fileName, byte[] content) =>
        new(
            DocumentId.FromContent(content),
            fileName,
            await host.Services.GetRequiredService<IMessageDataRepository>().PutBytes(content),
            DateTimeOffset.UtcNow);

    private static Task<IHost> StartAsync(params PipelineStage[] stages) => StartAsync(stages, _ => { });

    /// <summary>The stages on the test harness, with SQLite and a drop folder in a temp folder of their own.</summary>
    internal static async Task<IHost> StartAsync(PipelineStage[] stages, Action<HostApplicationBuilder> configure, MessagingOptions? messaging = null)
    {
        var builder = Host.CreateApplicationBuilder();
        var folder = Directory.CreateTempSubdirectory("pipeline-harness-").FullName;
        builder.Configuration["Storage:SqlitePath"] = Path.Combine(folder, "pipeline.db");
        builder.Configuration["Ingest:DropFolder"] = Directory.CreateDirectory(Path.Combine(folder, "drop")).FullName;
        configure(builder);
        foreach (var stage in stages)
        {
            stage.AddServices(builder);
        }

        messaging ??= new MessagingOptions();
        builder.Services.AddClaimChecks(messaging);
        builder.Services.AddMassTransitTestHarness(bus => bus.AddPipelineStages(messaging, stages));
        // The harness takes 1.2 s without bus activity as the end of a test: a stage's first document (its code
        // compiled on first use, on a loaded machine) can take longer than that, and its output is then missed.
        builder.Services.Configure<TestHarnessOptions>(options => options.TestInactivityTimeout = TimeSpan.FromSeconds(5));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class InFlightGauge : IInFlightDocuments
    {
        public long InFlight { get; set; }
    }
}
