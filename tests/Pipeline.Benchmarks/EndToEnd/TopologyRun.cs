using System.Globalization;
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

        var database = StoredRows.Sqlite(Path.Combine(data, "pipeline.db"));
        var figures = await MeasureAsync(corpus, staging, drop, [("pipeline run", cli)], database);
        return new RunResult(
            "embedded: pipeline run (in-memory, SQLite)",
            figures.Rate,
            figures.P50,
            figures.P95,
            figures.P99,
            figures.Processes,
            $"vs {CoresOnlyRun.Sqlite}",
            CoresOnlyRun.Sqlite);
    }

    /// <param name="scaled">The service that runs two replicas (null: one of each).</param>
    public static async Task<RunResult> DeployedAsync(CorpusSource corpus, string folder, Servers servers, string? scaled)
    {
        var (drop, staging) = Folders(corpus, folder);
        var connectionString = await servers.Postgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["Messaging__RabbitMq"] = servers.RabbitMq.Uri,
            ["Messaging__MessageDataFolder"] = Path.Combine(folder, "message-data"),
            ["Storage__PostgresConnectionString"] = connectionString,
            ["Ingest__DropFolder"] = drop,
            ["Logging__LogLevel__Default"] = "Warning",
        };

        var workers = new List<(string Name, ServiceProcess Process)>();
        try
        {
            foreach (var service in StagesDownstreamFirst)
            {
                var replicas = service == scaled ? 2 : 1;
                for (var replica = 1; replica <= replicas; replica++)
                {
                    var port = ServiceProcess.FreePort();
                    var process = ServiceProcess.Start(
                        RepositoryPaths.ServiceAssembly(service),
                        [],
                        new Dictionary<string, string>(environment) { ["Urls"] = $"http://127.0.0.1:{port}" });
                    workers.Add((replicas > 1 ? $"{service} #{replica}" : service, process));
                    await process.WaitUntilReadyAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), Patience);
                }
            }

            var figures = await MeasureAsync(corpus, staging, drop, workers, StoredRows.Postgres(connectionString));
            return new RunResult(
                scaled is null ? "deployed: 1 replica each (RabbitMQ, PostgreSQL)" : $"deployed: 2 × {scaled.Replace("Pipeline.", "", StringComparison.Ordinal)}",
                figures.Rate,
                figures.P50,
                figures.P95,
                figures.P99,
                figures.Processes,
                string.Create(CultureInfo.InvariantCulture,
                    $"vs {CoresOnlyRun.Postgres}; RabbitMQ CPU {figures.BrokerCpuMs:F2} ms/doc, PostgreSQL {figures.DatabaseCpuMs:F2} ms/doc"),
                CoresOnlyRun.Postgres);
        }
        finally
        {
            foreach (var (_, process) in workers)
            {
                await process.DisposeAsync();
            }
        }
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
