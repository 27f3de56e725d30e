using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Pipeline.Hosting;
using Pipeline.ReadSide;
using Pipeline.Testing;

namespace Pipeline.Api.Tests;

/// <summary>The read side with <c>Api:ReadApiKey</c> set, over an empty SQLite store and the in-memory bus.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public sealed class ReadApiKeyTests : IAsyncLifetime
{
    private const string ReadKey = "read-key-for-tests";
    private const string MissingId = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-read-key-").FullName;
    private WebApplication? _app;
    private HttpClient _client = null!;

    public static TheoryData<string> Reads => new()
    {
        "/",
        "/assets/app.js",
        "/openapi/v1.json",
        "/api/documents?q=Russia",
        "/api/documents/" + MissingId,
        "/api/documents/" + MissingId + "/raw",
        "/api/entities?type=person",
        "/api/entities/person:Nguyen%20Phu%20Trong",
        "/api/stories",
        "/api/stories/s-1",
        "/api/pipeline",
    };

    public async Task InitializeAsync()
    {
        var address = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = address,
            ["Messaging:RabbitMq"] = string.Empty,
            ["Storage:PostgresConnectionString"] = string.Empty,
            ["Storage:SqlitePath"] = Path.Combine(_root, "pipeline.db"),
            ["Api:ReadApiKey"] = ReadKey,
        });
        builder.Logging.ClearProviders();
        builder.AddServiceDefaults().AddPipelineApi().AddPipelineBus(PipelineApi.Stage);
        _app = builder.Build();
        _app.MapDefaultEndpoints().MapPipelineApi();
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Every_read_needs_the_key_as_a_header_or_as_the_basic_password(string path)
    {
        using (var refused = await _client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Basic realm=\"Pipeline\"", refused.Headers.WwwAuthenticate.ToString());
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"status\":401", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var withHeader = new HttpRequestMessage(HttpMethod.Get, path);
        withHeader.Headers.Add("X-Api-Key", ReadKey);
        using var withBasic = new HttpRequestMessage(HttpMethod.Get, path);
        withBasic.Headers.Authorization = Basic("reader", ReadKey);
        foreach (var request in new[] { withHeader, withBasic })
        {
            using var response = await _client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_wrong_key_is_refused_in_either_form()
    {
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/documents?q=Russia");
        withHeader.Headers.Add("X-Api-Key", ReadKey + "x");
        using var withBasic = new HttpRequestMessage(HttpMethod.Get, "/api/documents?q=Russia");
        withBasic.Headers.Authorization = Basic(ReadKey, "wrong");

        foreach (var request in new[] { withHeader, withBasic })
        {
            using var response = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Health_stays_open_while_reads_are_closed()
    {
        using var read = await _client.GetAsync("/api/pipeline");
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        using var live = await _client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await _client.GetAsync("/health/ready");
        Assert.NotEqual(HttpStatusCode.Unauthorized, ready.StatusCode);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));
}
