using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.DeploymentTests;

/// <summary>
/// One docker compose project of the repository's own docker-compose.yml and Dockerfiles, under a name of its
/// own, with its ports on free loopback ports and its drop folder where the test says. Removed (volumes too) when
/// disposed.
/// </summary>
internal sealed class ComposeDeployment : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);

    /// <summary>Each broker node (the second and third with the profile "cluster") and the variable naming its management port.</summary>
    private static readonly Dictionary<string, string> ManagementPortVariables = new()
    {
        ["rabbitmq"] = "RABBITMQ_MANAGEMENT_PORT",
        ["rabbitmq-2"] = "RABBITMQ_2_MANAGEMENT_PORT",
        ["rabbitmq-3"] = "RABBITMQ_3_MANAGEMENT_PORT",
    };

    private readonly Dictionary<string, string> _environment;
    private readonly Dictionary<string, HttpClient> _management = [];
    private readonly string[] _composeOptions;

    /// <param name="dropFolder">The folder mounted as ingest's drop folder.</param>
    /// <param name="composeOptions">Options of every compose command, e.g. <c>--profile observability</c>.</param>
    public ComposeDeployment(string dropFolder, params string[] composeOptions)
    {
        Project = "pipeline-e2e-" + Guid.NewGuid().ToString("N")[..8];
        _composeOptions = composeOptions;
        var apiPort = ServiceProcess.FreePort();
        var prometheusPort = ServiceProcess.FreePort();
        _environment = new Dictionary<string, string>
        {
            ["COMPOSE_PROJECT_NAME"] = Project,
            ["DROP_FOLDER"] = dropFolder,
            ["API_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PROMETHEUS_PORT"] = prometheusPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        Prometheus = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}/api/v1/"), Timeout = TimeSpan.FromSeconds(30) };
        var credentials = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DotEnv("RABBITMQ_USER")}:{DotEnv("RABBITMQ_PASSWORD")}")));
        foreach (var (node, portVariable) in ManagementPortVariables)
        {
            var port = ServiceProcess.FreePort();
            _environment[portVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _management[node] = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"), Timeout = TimeSpan.FromSeconds(30) };
            _management[node].DefaultRequestHeaders.Authorization = credentials;
        }
    }

    public string Project { get; }

    /// <summary>The read side's API, as published on the host.</summary>
    public HttpClient Api { get; }

    /// <summary>RabbitMQ's management API of the first broker node (the seed of a cluster), as published on the host.</summary>
    public HttpClient Management => _management["rabbitmq"];

    /// <summary>Prometheus's HTTP API, as published on the host (profile "observability").</summary>
    public HttpClient Prometheus { get; }

    /// <summary>RabbitMQ's management API of one broker node, e.g. "rabbitmq-2", as published on the host.</summary>
    public HttpClient ManagementOf(string node) => _management[node];

    public static bool IsHealthy(string state) =>
        state.StartsWith("running", StringComparison.Ordinal) && state.Contains("(healthy)", StringComparison.Ordinal);

    /// <summary>
    /// Waits until <paramref name="done"/>, for at most eight minutes; fails the test with <paramref name="what"/> then,
    /// and with what <paramref name="state"/> says of the deployment at that moment.
    /// </summary>
    public static async Task WaitAsync(Func<Task<bool>> done, string what, Func<Task<string>>? state = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not done after {Patience}: {what}" + (state is null ? string.Empty : $"; {await state()}"));
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>Fails with how to run the tests when no Docker engine with the compose plugin answers.</summary>
    public async Task RequireEngineAsync()
    {
        try
        {
            await ComposeAsync(TimeSpan.FromSeconds(30), "version");
            await DockerAsync("info");
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The compose test needs a Docker engine and docker compose ({e.Message.Split('\n')[0]}). Run the tests the README's way, "
                + $"`{TestServers.TestCommand}`: it installs and starts them.", e);
        }
    }

    /// <summary>Runs <c>docker compose ARGS</c> in the repository root; throws with its output when it fails.</summary>
    public async Task<string> ComposeAsync(TimeSpan timeout, params string[] arguments) =>
        await RunAsync("docker", ["compose", .. _composeOptions, .. arguments], timeout);

    /// <summary>Runs a command in a service's (first) container.</summary>
    public async Task<string> ExecAsync(string service, params string[] command) =>
        await ComposeAsync(TimeSpan.FromMinutes(1), ["exec", "-T", service, .. command]);

    /// <summary>The result of a Prometheus instant query: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryPrometheusAsync(string query)
    {
        using var response = JsonDocument.Parse(await Prometheus.GetStringAsync("query?query=" + Uri.EscapeDataString(query)));
        Assert.Equal("success", response.RootElement.GetProperty("status").GetString());
        return [.. response.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(series => (
            (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString() ?? string.Empty),
            double.Parse(series.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    /// <summary>Runs a <c>docker</c> command; throws with its output when it fails.</summary>
    public async Task<string> DockerAsync(params string[] arguments) =>
        await RunAsync("docker", arguments, TimeSpan.FromMinutes(2));

    /// <summary>The container id of one replica of a service, e.g. (extract, 1).</summary>
    public async Task<string> ContainerAsync(string service, int index) =>
        (await DockerAsync("ps", "-aq", "--filter", $"label=com.docker.compose.project={Project}",
            "--filter", $"label=com.docker.compose.service={service}",
            "--filter", $"label=com.docker.compose.container-number={index}")).Trim();

    /// <summary>Each container of the project with its state and health ("running healthy").</summary>
    public async Task<IReadOnlyDictionary<string, string>> ContainerStatesAsync()
    {
        var lines = await DockerAsync("ps", "-a", "--filter", $"label=com.docker.compose.project={Project}",
            "--format", "{{.Names}} {{.State}} {{if .Status}}{{.Status}}{{end}}");
        return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : string.Empty);
    }

    /// <summary>The documents the store holds, as the read side counts them.</summary>
    public async Task<long?> StoredDocumentsAsync()
    {
        try
        {
            using var pipeline = JsonDocument.Parse(await Api.GetStringAsync("api/pipeline"));
            return pipeline.RootElement.GetProperty("documents").GetInt64();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null; // the API is restarting or waiting for its database
        }
    }

    /// <summary>
    /// Takes out of <paramref name="waiting"/> the documents the read side shows with a relation; returns how many are
    /// left (not related yet, or not stored). Asks only for those still waiting: some are tens of megabytes.
    /// </summary>
    public async Task<int> RemoveRelatedAsync(ISet<string> waiting)
    {
        foreach (var id in waiting.ToList())
        {
            try
            {
                using var document = JsonDocument.Parse(await Api.GetStringAsync($"api/documents/{id}"));
                if (document.RootElement.TryGetProperty("relation", out var relation) && relation.ValueKind == JsonValueKind.Object)
                {
                    waiting.Remove(id);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // Not stored yet, or the API is restarting: asked again on the next round.
            }
        }

        return waiting.Count;
    }

    /// <summary>
    /// Fails unless the read side serves the page as the clean stage makes it: its title, its whole text and its
    /// whole raw file, so a page cut short or lost on the way fails as surely as one refused.
    /// </summary>
    public async Task AssertStoredWholeAsync(LargePage page)
    {
        using var response = await Api.GetAsync($"api/documents/{page.Id}", HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"{page.Name} ({page.Id}): {response.StatusCode}");
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var stored = document.RootElement;
        Assert.Equal(page.Title, stored.GetProperty("title").GetString());
        Assert.Equal(page.TextLength, stored.GetProperty("text").GetString()?.Length);
        Assert.Equal(page.Content.Length, stored.GetProperty("raw").GetProperty("bytes").GetInt32());
    }

    /// <summary>How far the deployment is from storing <paramref name="expected"/> documents, for a failure's message.</summary>
    public async Task<string> StoredStateAsync(int expected, ComposeInputs inputs) =>
        $"{await StoredDocumentsAsync()} of {expected} stored, "
        + $"{Directory.GetFiles(inputs.DropFolder).Length} files left in the drop folder; queues: {await QueueDepthsAsync()}; "
        + $"containers: {string.Join(", ", (await ContainerStatesAsync()).Select(c => $"{c.Key} {c.Value}"))}";

    /// <summary>Each queue with the messages it holds and its consumers ("clean 3 (2 consumers)"), for a failure's message.</summary>
    public async Task<string> QueueDepthsAsync()
    {
        try
        {
            var queues = await Management.GetFromJsonAsync<List<JsonElement>>("queues/%2F") ?? [];
            return string.Join(", ", queues.Select(q => $"{q.GetProperty("name").GetString()} {Count(q, "messages")} ({Count(q, "consumers")} consumers)"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return $"queues unknown ({e.Message})";
        }

        static long Count(JsonElement queue, string name) => queue.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : 0;
    }

    /// <summary>The faults in the stages' error queues: the queue, the document's file name and the fault's reason.</summary>
    public async Task<IReadOnlyList<(string Queue, string FileName, string Reason)>> ErrorQueueFaultsAsync()
    {
        var queues = await Management.GetFromJsonAsync<List<JsonElement>>("queues/%2F") ?? [];
        var faults = new List<(string, string, string)>();
        foreach (var queue in queues.Select(q => q.GetProperty("name").GetString()!).Where(n => n.EndsWith("_error", StringComparison.Ordinal)))
        {
            // Peek: each message goes back to its queue.
            using var response = await Management.PostAsJsonAsync(
                $"queues/%2F/{queue}/get", new { count = 1000, ackmode = "ack_requeue_true", encoding = "auto" });
            response.EnsureSuccessStatusCode();
            foreach (var message in await response.Content.ReadFromJsonAsync<List<JsonElement>>() ?? [])
            {
                using var envelope = JsonDocument.Parse(message.GetProperty("payload").GetString()!);
                var fileName = envelope.RootElement.GetProperty("message").GetProperty("fileName").GetString() ?? string.Empty;
                var reason = message.GetProperty("properties").TryGetProperty("headers", out var headers)
                    && headers.TryGetProperty("MT-Fault-Message", out var fault)
                        ? fault.GetString() ?? string.Empty
                        : string.Empty;
                faults.Add((queue, fileName, reason));
            }
        }

        return faults;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ComposeAsync(TimeSpan.FromMinutes(3), "down", "--volumes", "--remove-orphans", "--rmi", "local", "--timeout", "5");
        }
        catch (InvalidOperationException)
        {
            // Nothing more to remove, or Docker is gone; the test's own failure says more.
        }

        Api.Dispose();
        Prometheus.Dispose();
        foreach (var management in _management.Values)
        {
            management.Dispose();
        }
    }

    private async Task<string> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} still running after {timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }

        return await output;
    }

    /// <summary>A value of the repository's .env, the compose file's defaults.</summary>
    private static string DotEnv(string name) =>
        File.ReadLines(Path.Combine(RepositoryPaths.Root, ".env"))
            .Select(line => line.Split('=', 2))
            .First(parts => parts.Length == 2 && parts[0].Trim() == name)[1].Trim();
}
