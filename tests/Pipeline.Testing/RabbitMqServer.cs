using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Testcontainers.RabbitMq;

namespace Pipeline.Testing;

/// <summary>
/// A real RabbitMQ for a test class, with a fresh virtual host per fixture so classes never share queues: the
/// broker the test script started (<c>PIPELINE_TEST_RABBITMQ</c>), or one Testcontainers broker for the whole
/// test run where a Docker engine answers. Never a stand-in.
/// </summary>
public sealed class RabbitMqServer : IAsyncLifetime
{
    public const string Variable = "PIPELINE_TEST_RABBITMQ";

    /// <summary>The management API's address, exported by <c>deploy/local/services.sh</c> with the broker.</summary>
    public const string ManagementVariable = "PIPELINE_TEST_RABBITMQ_MANAGEMENT";

    /// <summary>The rabbitmqctl command line exported by <c>deploy/local/services.sh</c>, for stopping the broker.</summary>
    public const string ControlVariable = "PIPELINE_TEST_RABBITMQ_CTL";

    private static readonly Lazy<Task<BrokerAddress>> SharedBroker = new(FindBrokerAsync);
    private BrokerAddress? _broker;
    private string? _virtualHost;

    /// <summary>AMQP URI including the virtual host, as <c>Messaging:RabbitMq</c> takes it.</summary>
    public string Uri { get; private set; } = string.Empty;

    /// <summary>The broker's management API (with credentials), as <c>Api:RabbitMqManagement</c> takes it.</summary>
    public string ManagementUri => Broker.Management.ToString();

    private BrokerAddress Broker => _broker ?? throw new InvalidOperationException("the broker fixture is not initialised");

    public async Task InitializeAsync()
    {
        _broker = await SharedBroker.Value;
        var user = System.Uri.UnescapeDataString(_broker.Amqp.UserInfo.Split(':')[0]);
        _virtualHost = "t-" + Guid.NewGuid().ToString("N")[..12];
        (await ManagementAsync(HttpMethod.Put, $"vhosts/{_virtualHost}", null)).Dispose();
        (await ManagementAsync(HttpMethod.Put, $"permissions/{_virtualHost}/{System.Uri.EscapeDataString(user)}", new { configure = ".*", write = ".*", read = ".*" })).Dispose();
        Uri = _broker.Amqp.ToString().TrimEnd('/') + "/" + _virtualHost;
    }

    public async Task DisposeAsync()
    {
        if (_virtualHost is not null)
        {
            (await ManagementAsync(HttpMethod.Delete, $"vhosts/{_virtualHost}", null)).Dispose();
        }
    }

    /// <summary>
    /// Stops the broker the way an outage does: every connection drops and new ones are refused. Durable queues
    /// and persistent messages survive, as they would a real restart. Affects every user of the broker.
    /// </summary>
    public async Task StopAsync()
    {
        if (Broker.Container is { } container)
        {
            await container.StopAsync();
            return;
        }

        await ControlAsync("stop_app");
    }

    /// <summary>Starts the broker again and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (Broker.Container is { } container)
        {
            await container.StartAsync();
            // The log line Testcontainers waits for is already there from the first start: ask the broker itself.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    (await ManagementAsync(HttpMethod.Get, "overview", null)).Dispose();
                    return;
                }
                catch (HttpRequestException) when (attempt < 120)
                {
                    await Task.Delay(500);
                }
            }
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

    /// <summary>The type of each queue of this broker's virtual host ("classic", "quorum"), by queue name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> QueueTypesAsync()
    {
        var vhost = _virtualHost ?? "%2F";
        using var response = await ManagementAsync(HttpMethod.Get, $"queues/{vhost}", null);
        var queues = await response.Content.ReadFromJsonAsync<List<QueueInfo>>() ?? [];
        return queues.ToDictionary(q => q.Name, q => q.Type ?? "classic");
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

    private static async Task<BrokerAddress> FindBrokerAsync()
    {
        if (TestServers.FromEnvironment(Variable) is { } uri)
        {
            var management = TestServers.FromEnvironment(ManagementVariable)
                ?? throw new InvalidOperationException($"{ManagementVariable} is not set; run the tests through {TestServers.TestCommand}");
            return new BrokerAddress(new System.Uri(uri), new System.Uri(management), null);
        }

        // Fixed host ports, so the broker comes back where its clients look for it after StopAsync/StartAsync.
        var amqpPort = ServiceProcess.FreePort();
        var managementPort = ServiceProcess.FreePort();
        var container = await TestServers.StartContainerAsync(
            "RabbitMQ",
            Variable,
            () => new RabbitMqBuilder(TestServers.RabbitMqImage)
                .WithPortBinding(amqpPort, 5672)
                .WithPortBinding(managementPort, 15672)
                .Build());
        var amqp = new System.Uri(container.GetConnectionString());
        return new BrokerAddress(amqp, new System.Uri($"http://{amqp.UserInfo}@{container.Hostname}:{managementPort}/"), container);
    }

    private async Task<HttpResponseMessage> ManagementAsync(HttpMethod method, string path, object? body)
    {
        var management = Broker.Management;
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

    private sealed record QueueInfo(string Name, long Messages, string? Type);

    /// <param name="Amqp">The broker's AMQP URI with credentials, without a virtual host.</param>
    /// <param name="Management">The management API's URI with credentials.</param>
    /// <param name="Container">The Testcontainers broker, or null for a broker the test script started.</param>
    private sealed record BrokerAddress(System.Uri Amqp, System.Uri Management, RabbitMqContainer? Container);
}
