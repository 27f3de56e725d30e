using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.ReadSide;
using Pipeline.Stages;
using Pipeline.Storage;
using Pipeline.Testing;

namespace Pipeline.Api.Tests;

/// <summary>
/// The real pipeline (all five stages) and the read API in one host on a free loopback port, over a real store,
/// with the seeds and the samples dropped into its drop folder and four more documents submitted through
/// <c>POST /api/documents</c> (one a cut reprint of another, one a follow-up); ready once the relate stage has
/// related every one of them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public abstract class ApiFixture : IAsyncLifetime
{
    public const string ApiKey = "test-api-key";

    /// <summary>A document written for these tests, submitted over HTTP.</summary>
    public const string SubmittedText = """
        Chinh and Chernyshenko discuss energy

        Hanoi (VNA) – Prime Minister Pham Minh Chinh on May 5 met Russian Deputy Prime Minister Dmitry Chernyshenko
        in Hanoi to discuss energy cooperation, including the Zarubezhneft joint venture and quokkaberry exports.

        The two sides agreed to expand trade between Vietnam and Russia.
        """;

    public const string SubmittedHtml = """
        <html><head><title>Lagos port handles record cargo</title></head><body><article>
        <h1>Lagos port handles record cargo</h1>
        <p>LAGOS, June 2 (Reuters) - The Nigerian Ports Authority said on Tuesday the Lagos port complex handled
        record cargo volumes in May, helped by the new Lekki deep-sea terminal.</p>
        <p>Managing director Mohammed Bello-Koko said the quokkaberry trade was not affected.</p>
        </article></body></html>
        """;

    /// <summary>A reprint of <see cref="SubmittedText"/>: a new headline, and cut after its first paragraph.</summary>
    public const string ReprintHtml = """
        <html><head><title>Hanoi and Moscow eye energy deals</title></head><body><article>
        <h1>Hanoi and Moscow eye energy deals</h1>
        <p>Hanoi (VNA) – Prime Minister Pham Minh Chinh on May 5 met Russian Deputy Prime Minister Dmitry Chernyshenko
        in Hanoi to discuss energy cooperation, including the Zarubezhneft joint venture and quokkaberry exports.</p>
        </article></body></html>
        """;

    /// <summary>A later report of the same visit.</summary>
    public const string FollowUpText = """
        Chernyshenko ends Hanoi visit with energy pledge

        Hanoi (VNA) – Deputy Prime Minister Dmitry Chernyshenko ended his visit on May 6 after further talks with
        Prime Minister Pham Minh Chinh on the Zarubezhneft joint venture.

        Chinh said both governments would speed up licences for the venture.
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-api-").FullName;
    private WebApplication? _app;
    private FileLoggerProvider? _log;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IDocumentStore Store => _app!.Services.GetRequiredService<IDocumentStore>();

    /// <summary>Files dropped into the drop folder at start: the seeds and the samples.</summary>
    public IReadOnlyList<string> DroppedFiles { get; private set; } = [];

    public string SubmittedTextId { get; private set; } = string.Empty;

    public string SubmittedHtmlId { get; private set; } = string.Empty;

    public string ReprintId { get; private set; } = string.Empty;

    public string FollowUpId { get; private set; } = string.Empty;

    /// <summary>Every document the fixture stored.</summary>
    public IReadOnlyList<string> DocumentIds { get; private set; } = [];

    /// <summary>The story the relate stage put <see cref="SubmittedText"/> in.</summary>
    public string VisitStoryId { get; private set; } = string.Empty;

    /// <summary>The SQLite file, when the store is SQLite.</summary>
    public string? SqlitePath { get; private set; }

    public string Root => _root;

    /// <summary>Storage and messaging settings for this fixture's store and bus.</summary>
    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    protected virtual Task StopServersAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        var drop = Path.Combine(_root, "drop");
        Directory.CreateDirectory(drop);
        var port = ServiceProcess.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var settings = await SettingsAsync();
        SqlitePath = settings.GetValueOrDefault("Storage:SqlitePath");
        settings["Urls"] = BaseAddress.ToString().TrimEnd('/');
        settings["Ingest:DropFolder"] = drop;
        settings["Messaging:MessageDataFolder"] = Path.Combine(_root, "message-data");
        settings["Api:ApiKey"] = ApiKey;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        _log = new FileLoggerProvider(Path.Combine(_root, "host.log"));
        builder.Logging.ClearProviders().AddProvider(_log).SetMinimumLevel(LogLevel.Information)
            .AddFilter("Npgsql", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        builder.AddServiceDefaults().AddPipelineApi().AddPipelineBus([.. PipelineStages.All, PipelineApi.Stage]);
        _app = builder.Build();
        _app.MapDefaultEndpoints().MapPipelineApi();
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        // Ready means the bus's endpoints are up: on a new RabbitMQ virtual host, a message published before the
        // stages' queues are bound to its exchange would go nowhere.
        var ready = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var health = await Client.GetAsync("health/ready");
            if (health.IsSuccessStatusCode)
            {
                break;
            }

            if (DateTime.UtcNow > ready)
            {
                throw new TimeoutException($"the host never got ready:{Environment.NewLine}{_log.Tail(80)}");
            }

            await Task.Delay(200);
        }

        var files = Directory.GetFiles(RepositoryPaths.Seeds, "*.txt")
            .Concat(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "samples")))
            .ToList();
        foreach (var file in files)
        {
            File.Copy(file, Path.Combine(drop, Path.GetFileName(file)));
        }

        DroppedFiles = files;
        SubmittedTextId = await SubmitAsync(SubmittedText, "text/plain", "chinh-chernyshenko.txt");
        SubmittedHtmlId = await SubmitAsync(SubmittedHtml, "text/html", "lagos-port.html");
        await WaitForRelatedAsync(files.Select(f => DocumentId.FromContent(File.ReadAllBytes(f))).Append(SubmittedTextId).Append(SubmittedHtmlId));

        // A later outlet's copy and a later report come after the original is related, as they would in the world:
        // the original is then the earliest copy and the story the reprint and the follow-up may join.
        VisitStoryId = (await Store.GetRelationAsync(SubmittedTextId, CancellationToken.None))!.StoryId;
        ReprintId = await SubmitAsync(ReprintHtml, "text/html", "energy-deals.html");
        await WaitForRelatedAsync([ReprintId]);
        FollowUpId = await SubmitAsync(FollowUpText, "text/plain", "chernyshenko-ends-visit.txt");
        await WaitForRelatedAsync([FollowUpId]);
        DocumentIds = [.. files.Select(f => DocumentId.FromContent(File.ReadAllBytes(f))).Concat([SubmittedTextId, SubmittedHtmlId, ReprintId, FollowUpId]).Distinct()];
    }

    private async Task WaitForRelatedAsync(IEnumerable<string> ids)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        foreach (var id in ids.Distinct())
        {
            while (await Store.GetRelationAsync(id, CancellationToken.None) is null)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException(
                        $"{await Store.CountAsync(CancellationToken.None)} documents stored, {id} not related; the host said:{Environment.NewLine}{_log!.Tail(80)}");
                }

                await Task.Delay(250);
            }
        }
    }

    private async Task<string> SubmitAsync(string content, string contentType, string fileName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/documents?fileName=" + Uri.EscapeDataString(fileName))
        {
            Content = new StringContent(content, System.Text.Encoding.UTF8, contentType),
        };
        request.Headers.Add("X-Api-Key", ApiKey);
        using var response = await Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("documentId").GetString()!;
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await StopServersAsync();
        _log?.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The embedded default: in-memory bus, SQLite.</summary>
public sealed class SqliteApiFixture : ApiFixture
{
    protected override Task<Dictionary<string, string?>> SettingsAsync() =>
        Task.FromResult(new Dictionary<string, string?>
        {
            ["Messaging:RabbitMq"] = string.Empty,
            ["Storage:PostgresConnectionString"] = string.Empty,
            ["Storage:SqlitePath"] = Path.Combine(Root, "data", "pipeline.db"),
        });
}

/// <summary>The deployed kind: a real RabbitMQ (with its management API for queue figures) and PostgreSQL.</summary>
public sealed class PostgresApiFixture : ApiFixture
{
    private readonly PostgresServer _postgres = new();
    private readonly RabbitMqServer _rabbit = new();

    protected override async Task<Dictionary<string, string?>> SettingsAsync()
    {
        await _postgres.InitializeAsync();
        await _rabbit.InitializeAsync();
        return new Dictionary<string, string?>
        {
            ["Messaging:RabbitMq"] = _rabbit.Uri,
            ["Storage:PostgresConnectionString"] = _postgres.ConnectionString,
            // The first node named is down, as a cluster's seed can be: the figures come from the next one, the broker's
            // own node (Messaging:RabbitMq's host), at the same port.
            ["Api:RabbitMqManagement"] = new UriBuilder(_rabbit.ManagementUri) { Host = "rabbitmq-down.invalid" }.Uri.ToString(),
        };
    }

    protected override async Task StopServersAsync()
    {
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
