using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Storage;
using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The deployed topology as processes: the five services, each its own process, on a real RabbitMQ and a real
/// PostgreSQL. Files go in through the drop folder; assertions read what the store wrote.
/// </summary>
[Trait("Category", "Servers")]
public sealed class EndToEndTests(RabbitMqServer rabbitMq, PostgresServer postgres)
    : IClassFixture<RabbitMqServer>, IClassFixture<PostgresServer>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-e2e-").FullName;
    private readonly List<ServiceProcess> _services = [];
    private IDocumentStore? _store;

    private string DropFolder => Path.Combine(_root, "drop");

    private IDocumentStore Store => _store ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DropFolder);
        _store = DocumentStoreFactory.Create(new StorageOptions { PostgresConnectionString = postgres.ConnectionString });
        // Start in the order data flows; each waits until its bus (and database) is ready.
        foreach (var service in new[] { "Pipeline.Relate", "Pipeline.Store", "Pipeline.Extract", "Pipeline.Clean", "Pipeline.Ingest" })
        {
            _services.Add(await ServiceProcess.StartReadyAsync(
                service,
                new Dictionary<string, string>
                {
                    ["Messaging__RabbitMq"] = rabbitMq.Uri,
                    ["Storage__PostgresConnectionString"] = postgres.ConnectionString,
                    ["Ingest__DropFolder"] = DropFolder,
                    ["Messaging__MessageDataFolder"] = Path.Combine(_root, "message-data"),
                    ["Messaging__Retry__IntervalsMs__0"] = "100",
                    ["Messaging__Retry__IntervalsMs__1"] = "200",
                    ["Messaging__Retry__IntervalsMs__2"] = "300",
                    // As in the containers, at the default level: a line per document and stage, to follow its trace.
                    ["Logging__Console__FormatterName"] = "json",
                },
                Patience));
        }
    }

    [Fact]
    public async Task Dropped_seeds_are_stored_clean_and_structured_once()
    {
        // The database is the class's: the other test's document may be there already.
        var before = await Store.CountAsync(default);
        TestDocuments.Drop(DropFolder, TestDocuments.WireSeed, TestDocuments.Seed(TestDocuments.WireSeed));
        TestDocuments.Drop(DropFolder, TestDocuments.ScrapedSeed, TestDocuments.Seed(TestDocuments.ScrapedSeed));
        TestDocuments.Drop(DropFolder, "photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x00, 0x00, 0x01]);

        // Larger than what travels inline: goes through the shared claim-check folder.
        var large = LargeStories.Of(400_000);
        TestDocuments.Drop(DropFolder, "large.txt", large);

        await TestDocuments.EventuallyAsync(async () => await Store.CountAsync(default) == before + 3, Patience, Describe);
        await AssertOneTraceAcrossTheServicesAsync(DocumentId.FromContent(TestDocuments.Seed(TestDocuments.WireSeed)));
        Assert.Equal(large, (await Store.GetAsync(DocumentId.FromContent(large), default))?.Content);
        // Every raw file went through the claim-check folder, and the store removed each stored one's; the binary
        // file's stays while its message waits in clean's error queue, to be replayed.
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_root, "message-data"), "*", SearchOption.AllDirectories));

        var wire = await Store.GetAsync(DocumentId.FromContent(TestDocuments.Seed(TestDocuments.WireSeed)), default);
        var scraped = await Store.GetAsync(DocumentId.FromContent(TestDocuments.Seed(TestDocuments.ScrapedSeed)), default);
        Assert.NotNull(wire);
        Assert.NotNull(scraped);
        Assert.False(string.IsNullOrWhiteSpace(wire.Title));
        Assert.Equal("Vietnam treasures cooperative relations with Russia: Party chief", scraped.Title);
        foreach (var debris in new[] { "Related News", "Latest News", "More News", "Read More", "Mobile Version", "hinh anh", "./." })
        {
            Assert.DoesNotContain(debris, scraped.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(debris, wire.Text, StringComparison.Ordinal);
        }

        Assert.Contains(wire.Entities, e => e is { Type: EntityTypes.Person, Text: "Nguyen Phu Trong" });
        Assert.Equal("2020-12-03", wire.Dateline?.Date);
        Assert.Equal("Hanoi", wire.Dateline?.Place);

        // The binary file failed in clean and waits in its error queue, where `pipeline errors` finds it with the reason.
        var errors = await CliAsync("errors", "--rabbitmq", rabbitMq.Uri, "--drop", DropFolder);
        var error = JsonDocument.Parse(Assert.Single(errors)).RootElement;
        Assert.Equal("clean_error", error.GetProperty("queue").GetString());
        Assert.Equal("photo.jpg", error.GetProperty("file").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("reason").GetString()));

        // Replayed, it fails the same way and comes back: nothing is lost on the way.
        var replay = await CliAsync("replay", "--stage", "clean", "--rabbitmq", rabbitMq.Uri, "--drop", DropFolder);
        Assert.Equal(1, JsonDocument.Parse(Assert.Single(replay)).RootElement.GetProperty("replayed").GetInt32());
        await TestDocuments.EventuallyAsync(
            async () => (await rabbitMq.QueueDepthsAsync()).GetValueOrDefault("clean_error") == 1, Patience, Describe);

        // Dropping the same file again must not add a row: ingest finds it stored and sends it no further.
        TestDocuments.Drop(DropFolder, "again-" + TestDocuments.WireSeed, TestDocuments.Seed(TestDocuments.WireSeed));
        List<string> StoredAlreadyLines() =>
            [.. _services[^1].Output.Split(Environment.NewLine).Where(l => l.Contains("is stored already", StringComparison.Ordinal))];
        await TestDocuments.EventuallyAsync(() => Task.FromResult(StoredAlreadyLines().Count > 0), Patience, Describe);
        await TestDocuments.EventuallyAsync(QueuesDrainedAsync, Patience, Describe);
        Assert.Equal(before + 3, await Store.CountAsync(default));
        Assert.Contains("again-" + TestDocuments.WireSeed, Assert.Single(StoredAlreadyLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_larger_than_the_brokers_message_limit_is_stored_whole()
    {
        // Over RabbitMQ 4's 16 MiB limit on a message (deploy/local/services.sh sets it on older brokers too): the
        // article and its analysis must travel as claim checks, or the broker refuses clean's message over and over.
        var page = LargeStories.Of(17 * 1024 * 1024);
        TestDocuments.Drop(DropFolder, "huge.txt", page);

        var id = DocumentId.FromContent(page);
        await TestDocuments.EventuallyAsync(async () => await Store.FindTitleAsync(id, default) is not null, TimeSpan.FromMinutes(4), Describe);
        var stored = await Store.GetAsync(id, default);
        Assert.NotNull(stored);
        Assert.Equal(page.Length, stored.Content.Length);
        Assert.True(stored.Text.Length > 16 * 1024 * 1024, $"stored {stored.Text.Length:N0} characters of text");
        Assert.NotEmpty(stored.Keywords);
        await TestDocuments.EventuallyAsync(QueuesDrainedAsync, Patience, Describe);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "message-data"), "*", SearchOption.AllDirectories));
    }

    /// <summary>
    /// Every service logged the document (its JSON lines' scopes), each such line with a trace id, and all with the
    /// same one. The console logger writes on a thread of its own: the lines may come a little after the row.
    /// </summary>
    private async Task AssertOneTraceAcrossTheServicesAsync(string documentId)
    {
        List<List<string?>> traceIds = [];
        await TestDocuments.EventuallyAsync(
            () =>
            {
                traceIds = [.. _services.Select(s => TraceIdsOfLinesNaming(s, documentId))];
                return Task.FromResult(traceIds.All(ids => ids.Count > 0));
            },
            Patience,
            Describe);
        Assert.Single(traceIds.SelectMany(ids => ids).Distinct());
        Assert.DoesNotContain(null, traceIds.SelectMany(ids => ids));
    }

    private static List<string?> TraceIdsOfLinesNaming(ServiceProcess service, string documentId) =>
        [.. service.Output.Split(Environment.NewLine)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("Scopes").EnumerateArray().ToList())
            .Where(scopes => scopes.Any(scope => scope.TryGetProperty("DocumentId", out var id) && id.GetString() == documentId))
            .Select(scopes => scopes.Where(scope => scope.TryGetProperty("TraceId", out _)).Select(scope => scope.GetProperty("TraceId").GetString()).FirstOrDefault())];

    private static async Task<IReadOnlyList<string>> CliAsync(params string[] arguments)
    {
        await using var cli = ServiceProcess.Start(RepositoryPaths.ServiceAssembly("Pipeline.Cli", "pipeline"), arguments, new Dictionary<string, string>());
        Assert.True(await cli.WaitForExitAsync(Patience) == 0, cli.Output);
        return cli.Output.Split(Environment.NewLine).Where(l => l.StartsWith('{')).ToList();
    }

    /// <summary>Every working queue is empty (nothing ready, nothing unacknowledged) twice in a row.</summary>
    private async Task<bool> QueuesDrainedAsync()
    {
        for (var check = 0; check < 2; check++)
        {
            var depths = await rabbitMq.QueueDepthsAsync();
            if (depths.Any(q => !q.Key.EndsWith("_error", StringComparison.Ordinal) && q.Value > 0))
            {
                return false;
            }

            await Task.Delay(500);
        }

        return true;
    }

    private string Describe()
    {
        var depths = rabbitMq.QueueDepthsAsync().GetAwaiter().GetResult();
        var queues = string.Join(", ", depths.Select(q => $"/{q.Key}={q.Value}"));
        var files = string.Join(", ", Directory.EnumerateFiles(DropFolder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(DropFolder, f)));
        return $"queues: {queues}; files: {files}{Environment.NewLine}{string.Join(Environment.NewLine, _services.Select(s => s.Output))}";
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}
