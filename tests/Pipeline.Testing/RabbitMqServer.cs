using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Testcontainers.RabbitMq;

namespace Pipeline.Testing;

/// <summary>
/// A real RabbitMQ for a test class: the broker the test script started (<c>PIPELINE_TEST_RABBITMQ</c>, with a
/// fresh virtual host per fixture so classes never share queues), or a Testcontainers broker where a Docker
/// engine answers. Never a stand-in.
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    public const string Variable = "PIPELINE_TEST_RABBITMQ";

    /// <summary>The rabbitmqctl command line exported by <c>deploy/local/services.sh</c>, for stopping the broker.</summary>
    public const string ControlVariable = "PIPELINE_TEST_RABBITMQ_CTL";

    private RabbitMqContainer? _container;
    private string? _virtualHost;

    /// <summary>AMQP URI including the virtual host, as <c>Messaging:RabbitMq</c> takes it.</summary>
    public string Uri { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var uri = TestServers.FromEnvironment(Variable);
        if (uri is not null)
        {
            _virtualHost = "t-" + Guid.NewGuid().ToString("N")[..12];
            await ManagementAsync(HttpMethod.Put, $"vhosts/{_virtualHost}", null);
            await ManagementAsync(HttpMethod.Put, $"permissions/{_virtualHost}/guest", new { configure = ".*", write = ".*", read = ".*" });
            Uri = uri.TrimEnd('/') + "/" + _virtualHost;
            return;
        }

        // A fixed host port, so the broker comes back where its clients look for it after StopAsync/StartAsync.
        var port = ServiceProcess.FreePort();
        _container = await TestServers.StartContainerAsync(
            "RabbitMQ", Variable, () => new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(port, 5672).Build());
        Uri = _container.GetConnectionString();
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        else if (_virtualHost is not null)
        {
            await ManagementAsync(HttpMethod.Delete, $"vhosts/{_virtualHost}", null);
        }
    }

    /// <summary>
    /// Stops the broker the way an outage does: every connection drops and new ones are refused. Durable queues
    /// and persistent messages survive, as they would a real restart. Affects every user of the broker.
    /// </summary>
    public async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.StopAsync();
            return;
        }

        await ControlAsync("stop_app");
    }

    /// <summary>Starts the broker again and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
            return;
        }

        await ControlAsync("start_app");
        await ControlAsync("await_startup");
    }

    /// <summary>Messages ready in each queue of this broker's virtual host, by queue name.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QueueDepthsAsync()
    {
        var vhost = _virtualHost ?? "%2F";
        using var response = await ManagementAsync(HttpMethod.Get, $"queues/{vhost}", null);
        var queues = await response.Content.ReadFromJsonAsync<List<QueueInfo>>() ?? [];
        return queues.ToDictionary(q => q.Name, q => q.Messages);
    }

    private static async Task ControlAsync(string command)
    {
        var control = TestServers.FromEnvironment(ControlVariable)
            ?? throw new InvalidOperationException($"{ControlVariable} is not set; run the tests through {TestServers.TestCommand}");
        var parts = control.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new System.Diagnostics.ProcessStartInfo(parts[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var part in parts.Skip(1).Append(command))
        {
            start.ArgumentList.Add(part);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {command} failed: {output}");
        }
    }

    private async Task<HttpResponseMessage> ManagementAsync(HttpMethod method, string path, object? body)
    {
        var management = _container is not null
            ? new System.Uri($"http://guest:guest@{_container.Hostname}:{_container.GetMappedPublicPort(15672)}/")
            : new System.Uri(Environment.GetEnvironmentVariable("PIPELINE_TEST_RABBITMQ_MANAGEMENT")
                ?? throw new InvalidOperationException("PIPELINE_TEST_RABBITMQ_MANAGEMENT is not set; run tests through tests/run.sh"));
        using var client = new HttpClient { BaseAddress = new System.Uri(management, "api/") };
        var credentials = System.Uri.UnescapeDataString(management.UserInfo);
        client.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response;
    }

    private sealed record QueueInfo(string Name, long Messages);
}
