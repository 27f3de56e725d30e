using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.DeploymentTests;

/// <summary>
/// The compose profiles "cluster" (deploy/cluster.env: three RabbitMQ nodes, quorum queues) and "observability"
/// (Prometheus), with two clean and two extract replicas. First, with nothing failing, Prometheus has scraped every
/// replica and its per-stage counts equal the documents dropped, and every query of the Grafana dashboard answers.
/// Then the broker node holding the services' connections is killed while documents flow, pages of 17, 21 and 60 MiB
/// among them (over the broker's 16 MiB limit on a message): every document is still stored once, the large pages
/// whole, the services reconnect to the survivors by themselves, every surviving node's management UI answers on its
/// own port, and the killed node rejoins when started.
/// </summary>
[Collection(ComposeRuns.Name)]
[Trait("Category", "Servers")]
public sealed class ClusterComposeTests : IDisposable
{
    private static readonly string[] Stages = ["Ingest", "Clean", "Extract", "Store", "Relate"];
    private static readonly string[] BrokerNodes = ["rabbitmq", "rabbitmq-2", "rabbitmq-3"];
    private static readonly Dictionary<string, int> Replicas = new() { ["ingest"] = 1, ["clean"] = 2, ["extract"] = 2, ["store"] = 1, ["relate"] = 1, ["api"] = 1 };

    private readonly ComposeInputs _inputs = new();

    [Fact]
    public async Task Prometheus_counts_every_document_and_a_killed_broker_node_loses_none()
    {
        // Phase one: distinct documents only, so that each stage's count must equal them exactly.
        var firstFiles = ComposeInputs.Seeds().Concat(ComposeInputs.HtmlPages()).ToList();
        var first = ComposeInputs.DocumentsOf(firstFiles);
        firstFiles = [.. firstFiles.Where(f => first.Contains(Contracts.DocumentId.FromContent(f.Content)))];
        var secondFiles = ComposeInputs.TextPages();
        var large = ComposeInputs.LargePages();
        var expected = first.Union(ComposeInputs.DocumentsOf(secondFiles)).Union(large.Select(p => p.Id)).ToHashSet();
        _inputs.Stage(firstFiles.Concat(secondFiles).Concat(large.Select(p => (p.Name, p.Content))));
        _inputs.HandToOrdinaryUser();

        var clock = Stopwatch.StartNew();
        await using var compose = new ComposeDeployment(
            _inputs.DropFolder, "--env-file", ".env", "--env-file", "deploy/cluster.env", "--profile", "cluster", "--profile", "observability");
        await compose.RequireEngineAsync();
        await compose.ComposeAsync(TimeSpan.FromMinutes(15), "up", "-d", "--build", "--wait", "--scale", "clean=2", "--scale", "extract=2");
        var started = clock.Elapsed;
        var queues = await QueueTypesAsync(compose, "rabbitmq");
        Assert.All(["clean", "extract", "store", "relate"], queue => Assert.Equal("quorum", queues[queue]));

        _inputs.Drop(firstFiles.Select(f => f.Name));
        await ComposeDeployment.WaitAsync(async () => await compose.StoredDocumentsAsync() == first.Count && _inputs.DropFolderIsEmpty, "the first documents stored", () => compose.StoredStateAsync(first.Count, _inputs));
        await ComposeDeployment.WaitAsync(
            async () => await StageCountsAsync(compose) is var counts && counts.Count == Stages.Length && counts.Values.All(count => count == first.Count),
            $"Prometheus counting {first.Count} documents at every stage");
        var targets = await compose.QueryPrometheusAsync("up{job=\"pipeline\"}");
        Assert.All(targets, target => Assert.Equal(1, target.Value));
        Assert.Equal(Replicas, targets.GroupBy(t => t.Labels["service"]).ToDictionary(g => g.Key, g => g.Count()));
        var dashboardQueries = await AssertDashboardQueriesAnswerAsync(compose);

        // Phase two: the node most services are connected to goes away while the rest of the files flow, the large
        // pages first.
        var connections = await compose.Management.GetFromJsonAsync<List<JsonElement>>("connections") ?? [];
        var busiest = connections.GroupBy(c => c.GetProperty("node").GetString()!).OrderByDescending(g => g.Count()).First();
        var killedNode = busiest.Key.Split('@')[1];
        var survivors = BrokerNodes.Where(n => n != killedNode).ToList();
        var survivor = survivors[0];
        var killed = await compose.ContainerAsync(killedNode, 1);
        var secondNames = secondFiles.Select(f => f.Name).ToList();
        _inputs.Drop(large.Select(p => p.Name));
        _inputs.Drop(secondNames.Take(secondNames.Count / 4));
        await compose.DockerAsync("kill", killed);
        _inputs.Drop(secondNames.Skip(secondNames.Count / 4));

        await ComposeDeployment.WaitAsync(async () => await compose.StoredDocumentsAsync() == expected.Count && _inputs.DropFolderIsEmpty, "every document stored", () => compose.StoredStateAsync(expected.Count, _inputs));
        await ComposeDeployment.WaitAsync(
            async () => (await compose.ContainerStatesAsync()).Where(c => !c.Key.Contains("rabbitmq", StringComparison.Ordinal) && !c.Key.Contains("prometheus", StringComparison.Ordinal))
                .All(c => ComposeDeployment.IsHealthy(c.Value)),
            "every service healthy");
        foreach (var id in expected)
        {
            using var response = await compose.Api.GetAsync($"api/documents/{id}");
            Assert.True(response.IsSuccessStatusCode, $"document {id}: {response.StatusCode}");
        }

        Assert.Equal(expected.Count, await compose.StoredDocumentsAsync());
        // The fifth stage decided every stored document: its story, its original, its entities.
        var unrelated = expected.ToHashSet();
        await ComposeDeployment.WaitAsync(async () => await compose.RemoveRelatedAsync(unrelated) == 0, "every document related");
        foreach (var page in large)
        {
            await compose.AssertStoredWholeAsync(page);
        }

        // The management UI stays in reach with any node down: every node publishes its own, on loopback.
        foreach (var node in survivors)
        {
            Assert.StartsWith("127.0.0.1:", await compose.ComposeAsync(TimeSpan.FromSeconds(30), "port", node, "15672"), StringComparison.Ordinal);
            var survivorQueues = await compose.ManagementOf(node).GetFromJsonAsync<List<JsonElement>>("queues/%2F") ?? [];
            Assert.Contains(survivorQueues, q => q.GetProperty("name").GetString() == "store");
        }

        // What the operator sees agrees with the store, after the kill too, and nothing waits in a queue.
        await ComposeDeployment.WaitAsync(
            async () => await compose.QueryPrometheusAsync("max(pipeline_store_documents)") is [var stored] && stored.Value == expected.Count,
            $"Prometheus's pipeline_store_documents at {expected.Count}");
        await ComposeDeployment.WaitAsync(
            async () => (await compose.QueryPrometheusAsync("max by (queue) (rabbitmq_detailed_queue_messages{queue=~\"clean|extract|store\"})")) is var depths
                && depths.Count == 3 && depths.All(d => d.Value == 0),
            "Prometheus's queue depths at 0");
        var reconnected = (await compose.ExecAsync(survivor, "rabbitmqctl", "list_connections", "-q", "--no-table-headers", "pid"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain(reconnected, pid => pid.Contains($"@{killedNode}.", StringComparison.Ordinal));
        Assert.True(reconnected.Length >= Replicas.Values.Sum(), $"{reconnected.Length} connections on the survivors: {string.Join(' ', reconnected)}");

        // The killed node comes back into the cluster.
        await compose.DockerAsync("start", killed);
        await ComposeDeployment.WaitAsync(
            async () => RunningNodes(await compose.ExecAsync(survivor, "rabbitmqctl", "cluster_status", "--formatter", "json")) == BrokerNodes.Length,
            "the killed node back in the cluster");

        TestSummary.Write(
            "compose-cluster",
            $"compose cluster: 3 broker nodes, quorum queues, 2 clean, 2 extract; up in {started.TotalSeconds:F0} s; "
            + $"prometheus: {targets.Count} replicas scraped, done per stage {first.Count} = {first.Count} dropped, {dashboardQueries} dashboard queries answered; "
            + $"killed {busiest.Key} holding {busiest.Count()} of {connections.Count} connections mid-run: "
            + $"documents {expected.Count} expected, {expected.Count} stored once and in pipeline_store_documents, related, "
            + $"large pages {string.Join(", ", large.Select(p => p.Size))} stored whole, queue depths 0 in Prometheus, "
            + $"management UI on {survivors.Count} surviving nodes, "
            + $"{reconnected.Length} connections on the survivors, node rejoined; "
            + $"{clock.Elapsed.TotalSeconds:F0} s in all");
    }

    public void Dispose() => _inputs.Dispose();

    /// <summary>Each stage's documents done, summed over its replicas, as Prometheus scraped them.</summary>
    private static async Task<Dictionary<string, double>> StageCountsAsync(ComposeDeployment compose) =>
        (await compose.QueryPrometheusAsync("sum by (stage) (pipeline_documents_done_total)"))
            .Where(s => Stages.Contains(s.Labels.GetValueOrDefault("stage")))
            .ToDictionary(s => s.Labels["stage"], s => s.Value);

    /// <summary>
    /// Every query of deploy/observability/grafana-dashboard.json is valid PromQL on what the services export, and
    /// every one has data. Returns how many queries there are.
    /// </summary>
    private static async Task<int> AssertDashboardQueriesAnswerAsync(ComposeDeployment compose)
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "observability", "grafana-dashboard.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();
        // Every one has data, failures and retries too: their series start at 0.
        foreach (var query in queries)
        {
            Assert.True((await compose.QueryPrometheusAsync(query)).Count > 0, $"no data for the dashboard's query {query}");
        }

        return queries.Count;
    }

    private static async Task<Dictionary<string, string>> QueueTypesAsync(ComposeDeployment compose, string node) =>
        (await compose.ExecAsync(node, "rabbitmqctl", "list_queues", "-q", "--no-table-headers", "name", "type"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(parts => parts[0], parts => parts[^1]);

    private static int RunningNodes(string clusterStatusJson)
    {
        using var status = JsonDocument.Parse(clusterStatusJson);
        return status.RootElement.GetProperty("running_nodes").GetArrayLength();
    }
}
