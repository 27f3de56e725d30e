using System.Diagnostics;
using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Testing;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// The product as people run it, from files dropped into the watched folder to rows in the database: the embedded
/// default (<c>pipeline run</c>, one process) and the deployed topology (one process per stage replica).
/// </summary>
internal static class TopologyRun
{
    private static readonly string[] StagesDownstreamFirst = ["Pipeline.Store", "Pipeline.Extract", "Pipeline.Clean", "Pipeline.Ingest"];
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Settling = TimeSpan.FromSeconds(5);

    public static async Task<RunResult> EmbeddedAsync(CorpusSource corpus, string folder)
    {
        var (drop, staging) = Folders(corpus, folder);
        var data = Path.Combine(folder, "data");
        var port = ServiceProcess.FreePort();
        await using var cli = ServiceProcess.Start(
            RepositoryPaths.ServiceAssembly("Pipeline.Cli", "pipeline"),
            ["run", "--drop", drop, "--data", data],
            new Dictionary<string, string> { ["Urls"] = $"http://127.0.0.1:{port}", ["Logging__LogLevel__Default"] = "Warning" });
        await cli.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), Patience);

        // Until every document is related: pipeline run is all five stages, and a user's run ends when relate does.
        var database = StoredRows.Sqlite(Path.Combine(data, "pipeline.db"), related: true);
        var figures = await MeasureAsync(corpus, staging, drop, [("pipeline run", cli)], database);
        return new RunResult(
            "embedded: pipeline run (in-memory, SQLite), until related",
            figures.Rate,
            figures.P50,
            figures.P95,
            figures.P99,
            figures.Processes,
            $"vs {CoresOnlyRun.SqliteRelated}",
            CoresOnlyRun.SqliteRelated);
    }

    /// <param name="scaled">The service that runs two replicas (null: one of each).</param>
    /// <param name="telemetry">
    /// As deployed: traces, metrics and the services' own log level (a line per document per stage). Without: the
    /// OpenTelemetry SDK off (no spans, no metrics) and warnings only, so the difference is what telemetry costs.
    /// </param>
    public static async Task<RunResult> DeployedAsync(CorpusSource corpus, string folder, Servers servers, string? scaled, bool telemetry = true)
    {
        var (drop, staging) = Folders(corpus, folder);
        var connectionString = await servers.Postgres.CreateDatabaseAsync();
        var environment = DeployedEnvironment(folder, drop, servers, connectionString);
        if (telemetry)
        {
            environment.Remove(WarningsOnly);
        }
        else
        {
            environment["OTEL_SDK_DISABLED"] = "true";
        }

        var workers = new List<(string Name, ServiceProcess Process)>();
        try
        {
            foreach (var service in StagesDownstreamFirst)
            {
                var replicas = service == scaled ? 2 : 1;
                for (var replica = 1; replica <= replicas; replica++)
                {
                    workers.Add((replicas > 1 ? $"{service} #{replica}" : service, await StartServiceAsync(service, environment)));
                }
            }

            var figures = await MeasureAsync(corpus, staging, drop, workers, StoredRows.Postgres(connectionString));
            if (telemetry)
            {
                figures = figures with { Processes = [.. await Task.WhenAll(figures.Processes.Select(p => WithGarbageCollectionsAsync(p, workers.Single(w => w.Name == p.Name).Process.Address!)))] };
            }

            var run = new RunResult(
                (scaled is null ? "deployed: 1 replica each" : $"deployed: 2 × {scaled.Replace("Pipeline.", "", StringComparison.Ordinal)}")
                    + (telemetry ? "" : ", telemetry off"),
                figures.Rate,
                figures.P50,
                figures.P95,
                figures.P99,
                figures.Processes,
                "",
                CoresOnlyRun.Postgres,
                figures.BrokerCpuMs,
                figures.DatabaseCpuMs);
            return run with { Note = run.ServersNote() };
        }
        finally
        {
            foreach (var (_, process) in workers)
            {
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The deployed topology with one stage at a time, as the cores-only run does its phases: every file is
    /// dropped first, then each service runs alone, upstream first, until the next queue (or the database) holds
    /// every document, and stops. Each stage has both cores to itself, so the rate says what the separation into
    /// processes and the broker cost, apart from what sharing two cores between everything at once costs.
    /// </summary>
    public static async Task<RunResult> DeployedStageByStageAsync(CorpusSource corpus, string folder, Servers servers)
    {
        var (drop, staging) = Folders(corpus, folder);
        var connectionString = await servers.Postgres.CreateDatabaseAsync();
        var environment = DeployedEnvironment(folder, drop, servers, connectionString);
        var database = StoredRows.Postgres(connectionString);

        // All four once, downstream first, so that every queue and binding exists before anything is published.
        var all = new List<ServiceProcess>();
        int warm;
        try
        {
            foreach (var service in StagesDownstreamFirst)
            {
                all.Add(await StartServiceAsync(service, environment));
            }

            warm = CorpusSource.Drop(staging, drop, corpus.WarmUpNames).Count;
            await Latency.WaitForAsync(database.CountAsync, warm, () => string.Join(Environment.NewLine, all.Select(p => p.Output)));
        }
        finally
        {
            foreach (var process in all)
            {
                await process.DisposeAsync();
            }
        }

        var n = CorpusSource.Drop(staging, drop, corpus.Names).Count;
        await using var queues = await StageQueueClient.ConnectAsync(servers.RabbitMq.Uri);
        var figures = new List<ProcessFigures>();
        var seconds = 0.0;
        var notes = new List<string>();
        foreach (var service in StagesDownstreamFirst.Reverse())
        {
            // A stage is through when its input is empty (the drop folder, or its queue) and its output stopped
            // growing. Its output may hold more than n messages: a publish that is retried after a lost
            // confirmation sends its message twice, which the content id makes harmless downstream.
            Func<Task<long>> output = service == "Pipeline.Store"
                ? database.CountAsync
                : () => queues.CountAsync(StageQueues.Of(NextStage(service)));
            Func<Task<long>> input = service == "Pipeline.Ingest"
                ? () => Task.FromResult((long)Directory.GetFiles(drop).Length)
                : () => queues.CountAsync(StageQueues.Of(StageOf(service)));
            var baseline = await output();
            await using var process = await StartServiceAsync(service, environment);
            var before = ProcessStats.Of(process.Id);
            var broker = ProcessStats.CpuSecondsOfAll("beam.smp");
            var postgres = ProcessStats.CpuSecondsOfAll("postgres");
            var clock = Stopwatch.StartNew();
            var first = await output();
            var (last, through) = await WaitUntilThroughAsync(input, output, clock, () => process.Output);
            var elapsed = through.TotalSeconds;
            var after = ProcessStats.Of(process.Id);
            broker = ProcessStats.CpuSecondsOfAll("beam.smp") - broker;
            postgres = ProcessStats.CpuSecondsOfAll("postgres") - postgres;
            var measured = last - first;
            seconds += elapsed * n / measured;
            figures.Add(new ProcessFigures(service, (after.CpuSeconds - before.CpuSeconds) * 1000 / measured, after.PeakResidentBytes / 1e6, after.ResidentBytes / 1e6));
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{StageOf(service)} {measured / elapsed:F0}/s (+{(broker + postgres) * 1000 / measured:F1} ms/doc in RabbitMQ and PostgreSQL{(last - baseline > n ? $", {last - baseline - n} sent twice" : "")})"));
        }

        return new RunResult(
            "deployed: one stage at a time",
            n / seconds,
            null,
            null,
            null,
            figures,
            $"vs {CoresOnlyRun.Postgres}; each stage alone: {string.Join(", ", notes)}",
            CoresOnlyRun.Postgres);
    }

    private static string StageOf(string service) => service.Replace("Pipeline.", "", StringComparison.Ordinal);

    private static string NextStage(string service) => service switch
    {
        "Pipeline.Ingest" => StageNames.Clean,
        "Pipeline.Clean" => StageNames.Extract,
        _ => StageNames.Store,
    };

    /// <summary>
    /// Waits until <paramref name="input"/> is empty and <paramref name="output"/> held still for a second;
    /// returns the output and the time on <paramref name="clock"/> when it last grew.
    /// </summary>
    private static async Task<(long Output, TimeSpan At)> WaitUntilThroughAsync(
        Func<Task<long>> input, Func<Task<long>> output, Stopwatch clock, Func<string> diagnostics)
    {
        var still = Stopwatch.StartNew();
        var last = await output();
        var at = clock.Elapsed;
        while (true)
        {
            await Task.Delay(100);
            var now = await output();
            if (now != last)
            {
                last = now;
                at = clock.Elapsed;
                still.Restart();
            }
            else if (still.Elapsed > TimeSpan.FromSeconds(1) && await input() == 0)
            {
                return (last, at);
            }
            else if (still.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"stuck at {now}:{Environment.NewLine}{diagnostics()}");
            }
        }
    }

    private static Dictionary<string, string> DeployedEnvironment(string folder, string drop, Servers servers, string connectionString) => new()
    {
        ["Messaging__RabbitMq"] = servers.RabbitMq.Uri,
        ["Messaging__MessageDataFolder"] = Path.Combine(folder, "message-data"),
        ["Storage__PostgresConnectionString"] = connectionString,
        ["Ingest__DropFolder"] = drop,
        [WarningsOnly] = "Warning",
    };

    private const string WarningsOnly = "Logging__LogLevel__Default";

    private static Task<ServiceProcess> StartServiceAsync(string service, Dictionary<string, string> environment) =>
        ServiceProcess.StartReadyAsync(service, environment, Patience);

    /// <summary>
    /// The process's full (gen2) collections and GC pauses so far, from the runtime's metrics on its <c>/metrics</c>:
    /// what large messages cost a stage shows there first.
    /// </summary>
    private static async Task<ProcessFigures> WithGarbageCollectionsAsync(ProcessFigures figures, Uri address)
    {
        using var http = new HttpClient();
        var lines = (await http.GetStringAsync(new Uri(address, "/metrics"))).Split('\n');
        double Value(string metric, string labels = "") => lines
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains(labels, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))
            .DefaultIfEmpty(double.NaN)
            .Sum();
        return figures with
        {
            FullCollections = Value("dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""),
            GcPauseSeconds = Value("dotnet_gc_pause_time_seconds_total"),
        };
    }

    private static (string Drop, string Staging) Folders(CorpusSource corpus, string folder)
    {
        var drop = Path.Combine(folder, "drop");
        var staging = Path.Combine(folder, "staging");
        Directory.CreateDirectory(drop);
        corpus.Stage(staging);
        return (drop, staging);
    }

    private static async Task<Figures> MeasureAsync(
        CorpusSource corpus, string staging, string drop, IReadOnlyList<(string Name, ServiceProcess Process)> processes, StoredRows database)
    {
        string Output() => string.Join(Environment.NewLine, processes.Select(p => $"--- {p.Name}{Environment.NewLine}{p.Process.Output}"));
        var warm = CorpusSource.Drop(staging, drop, corpus.WarmUpNames).Count;
        await Latency.WaitForAsync(database.CountAsync, warm, Output);

        var before = processes.Select(p => ProcessStats.Of(p.Process.Id)).ToList();
        var broker = ProcessStats.CpuSecondsOfAll("beam.smp");
        var postgres = ProcessStats.CpuSecondsOfAll("postgres");
        var dropped = CorpusSource.Drop(staging, drop, corpus.Names);
        var n = dropped.Count;
        await Latency.WaitForAsync(database.CountAsync, warm + n, Output);
        var after = processes.Select(p => ProcessStats.Of(p.Process.Id)).ToList();
        broker = ProcessStats.CpuSecondsOfAll("beam.smp") - broker;
        postgres = ProcessStats.CpuSecondsOfAll("postgres") - postgres;

        await Task.Delay(Settling);
        var settled = processes.Select(p => ProcessStats.Of(p.Process.Id)).ToList();
        var (rate, p50, p95, p99) = Latency.Of(dropped, await database.StoredAtAsync());
        var figures = processes
            .Select((p, i) => new ProcessFigures(
                p.Name,
                (after[i].CpuSeconds - before[i].CpuSeconds) * 1000 / n,
                after[i].PeakResidentBytes / 1e6,
                settled[i].ResidentBytes / 1e6))
            .ToList();
        return new Figures(rate, p50, p95, p99, figures, broker * 1000 / n, postgres * 1000 / n);
    }

    private sealed record Figures(
        double Rate, TimeSpan P50, TimeSpan P95, TimeSpan P99, IReadOnlyList<ProcessFigures> Processes, double BrokerCpuMs, double DatabaseCpuMs);
}
