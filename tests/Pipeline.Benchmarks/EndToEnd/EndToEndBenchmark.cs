using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pipeline.Testing;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// <c>e2e [--documents N] [--runs cores,bus,embedded,deployed,stages] [--repeat N]</c>: the same corpus through the
/// stage cores alone (the ceiling), the embedded default (<c>pipeline run</c>) and the deployed topology (four services
/// as processes on RabbitMQ and PostgreSQL, one replica each with telemetry and again without it, N times and then
/// their medians, then two of the stage that used the most CPU, then one stage at a time), plus MassTransit's own ceiling (a four-hop chain with no work). Prints documents/s, drop→stored latency, CPU per document per
/// process and memory per process. The servers come from <c>deploy/local/services.sh</c> (<c>tests/benchmark.sh</c>
/// starts them) or Testcontainers, as in the tests.
/// </summary>
internal static class EndToEndBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(TrainNer.Option(args, "--documents") ?? "5000", CultureInfo.InvariantCulture);
        var runs = (TrainNer.Option(args, "--runs") ?? "cores,bus,embedded,deployed,stages").Split(',');
        var repeat = int.Parse(TrainNer.Option(args, "--repeat") ?? "1", CultureInfo.InvariantCulture);
        var work = Directory.CreateTempSubdirectory("pipeline-e2e-").FullName;
        try
        {
            var corpus = new CorpusSource(Path.Combine(work, "corpus"), count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB; corpus: {count} documents (HTML pages and scraped text in turn), {corpus.Bytes / 1e6:F0} MB"));

            var results = new List<RunResult>();
            await using var servers = runs.Any(r => r is "deployed" or "stages" or "bus" or "cores") ? await Servers.StartAsync() : null;
            async Task SettleAsync(string next)
            {
                if (servers is not null)
                {
                    await servers.ClearAsync();
                }

                var (waited, busy) = await MachineIdle.WaitAsync();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{next}: started after {waited.TotalSeconds:F0} s of settling, the cores {busy:P0} busy"));
            }

            if (runs.Contains("embedded"))
            {
                await SettleAsync("embedded");
                results.Add(await TopologyRun.EmbeddedAsync(corpus, Path.Combine(work, "embedded")));
            }

            if (runs.Contains("cores"))
            {
                await SettleAsync("cores only");
                results.AddRange(await CoresOnlyRun.RunAsync(corpus, servers!, Path.Combine(work, "cores")));
            }

            if (runs.Contains("bus"))
            {
                await SettleAsync("bus");
                results.AddRange(await BusCeilingRun.RunAsync(count, servers!.RabbitMq.Uri));
            }

            if (runs.Contains("deployed"))
            {
                // Runs of one build move by a tenth from one to the next, so with --repeat the pair runs again, in
                // the other order each time (a run's place in the series must not decide which setting wins).
                var on = new List<RunResult>();
                var off = new List<RunResult>();
                for (var round = 0; round < repeat; round++)
                {
                    foreach (var telemetry in round % 2 == 0 ? [true, false] : new[] { false, true })
                    {
                        await SettleAsync(telemetry ? "deployed" : "deployed, telemetry off");
                        var run = await TopologyRun.DeployedAsync(corpus, Path.Combine(work, $"deployed-{round}-{telemetry}"), servers!, scaled: null, telemetry);
                        (telemetry ? on : off).Add(run);
                        results.Add(run);
                    }
                }

                var onMedian = RunResult.Median(on);
                if (repeat > 1)
                {
                    results.Add(onMedian);
                    results.Add(RunResult.Median(off));
                }

                var slowest = onMedian.Processes.MaxBy(p => p.CpuMsPerDocument)!.Name;
                await SettleAsync("deployed, scaled");
                results.Add(await TopologyRun.DeployedAsync(corpus, Path.Combine(work, "deployed-2"), servers!, scaled: slowest));
            }

            if (runs.Contains("stages"))
            {
                await SettleAsync("deployed, one stage at a time");
                results.Add(await TopologyRun.DeployedStageByStageAsync(corpus, Path.Combine(work, "deployed-stages"), servers!));
            }

            RunResult.Print(results, count);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

/// <summary>
/// The corpus, written once; <see cref="Stage"/> lays out a fresh copy for each run, outside its timing. A few
/// warm-up files of their own go through first, so that every run is measured warm, as the cores-only one is.
/// </summary>
internal sealed class CorpusSource
{
    private const int WarmUpCount = 40;
    private readonly string _folder;

    public CorpusSource(string folder, int count)
    {
        _folder = folder;
        Names = BenchmarkCorpus.Write(folder, count, "bench");
        WarmUpNames = BenchmarkCorpus.Write(folder, WarmUpCount, "warm-up");
        Bytes = Names.Sum(n => new FileInfo(Path.Combine(folder, n)).Length);
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<string> WarmUpNames { get; }

    public long Bytes { get; }

    public string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>Copies the corpus to <paramref name="staging"/>, on the drop folder's file system, so that dropping is a rename.</summary>
    public void Stage(string staging)
    {
        Directory.CreateDirectory(staging);
        foreach (var name in Names.Concat(WarmUpNames))
        {
            File.Copy(PathOf(name), Path.Combine(staging, name));
        }
    }

    /// <summary>Moves the staged files into the drop folder as fast as it can; returns when each one landed.</summary>
    public static Dictionary<string, DateTime> Drop(string staging, string dropFolder, IReadOnlyList<string> names)
    {
        var dropped = new Dictionary<string, DateTime>(names.Count, StringComparer.Ordinal);
        foreach (var name in names)
        {
            File.Move(Path.Combine(staging, name), Path.Combine(dropFolder, name));
            dropped[name] = DateTime.UtcNow;
        }

        return dropped;
    }
}

/// <summary>One process of a run: CPU per document and resident memory (peak, and after the run settled).</summary>
/// <param name="FullCollections">Its gen2 garbage collections, where its metrics tell (NaN otherwise); so <paramref name="GcPauseSeconds"/>.</param>
internal sealed record ProcessFigures(
    string Name, double CpuMsPerDocument, double PeakMb, double EndMb, double FullCollections = double.NaN, double GcPauseSeconds = double.NaN);

/// <summary>What one run measured. Latencies are null for runs that do not drop files.</summary>
internal sealed record RunResult(
    string Name,
    double DocumentsPerSecond,
    TimeSpan? P50,
    TimeSpan? P95,
    TimeSpan? P99,
    IReadOnlyList<ProcessFigures> Processes,
    string Note,
    string? ComparedWith = null,
    double? BrokerCpuMs = null,
    double? DatabaseCpuMs = null)
{
    /// <summary>The median of runs of one setting: its rate, latencies and each process's figures.</summary>
    public static RunResult Median(IReadOnlyList<RunResult> runs)
    {
        if (runs.Count == 1)
        {
            return runs[0];
        }

        var first = runs[0];
        var median = first with
        {
            Name = $"{first.Name}, median of {runs.Count}",
            DocumentsPerSecond = Middle(runs.Select(r => r.DocumentsPerSecond)),
            P50 = TimeSpan.FromSeconds(Middle(runs.Select(r => r.P50!.Value.TotalSeconds))),
            P95 = TimeSpan.FromSeconds(Middle(runs.Select(r => r.P95!.Value.TotalSeconds))),
            P99 = TimeSpan.FromSeconds(Middle(runs.Select(r => r.P99!.Value.TotalSeconds))),
            Processes = [.. first.Processes.Select(p =>
            {
                double Of(Func<ProcessFigures, double> figure) => Middle(runs.Select(r => figure(r.Processes.Single(q => q.Name == p.Name))));
                return new ProcessFigures(
                    p.Name, Of(f => f.CpuMsPerDocument), Of(f => f.PeakMb), Of(f => f.EndMb), Of(f => f.FullCollections), Of(f => f.GcPauseSeconds));
            })],
            BrokerCpuMs = Middle(runs.Select(r => r.BrokerCpuMs!.Value)),
            DatabaseCpuMs = Middle(runs.Select(r => r.DatabaseCpuMs!.Value)),
        };
        return median with { Note = median.ServersNote() };

        static double Middle(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }

    /// <summary>The note of a deployed run: its ceiling and the servers' CPU per document.</summary>
    public string ServersNote() => string.Create(CultureInfo.InvariantCulture,
        $"vs {ComparedWith}; RabbitMQ CPU {BrokerCpuMs:F2} ms/doc, PostgreSQL {DatabaseCpuMs:F2} ms/doc");

    public static void Print(IReadOnlyList<RunResult> results, int documents)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"run",-40} {"docs/s",8} {"ratio",7} {"p50 s",7} {"p95 s",7} {"p99 s",7}  note"));
        foreach (var r in results)
        {
            var ceiling = r.ComparedWith is null ? null : results.FirstOrDefault(c => c.Name == r.ComparedWith);
            var ratio = ceiling is null ? "" : (r.DocumentsPerSecond / ceiling.DocumentsPerSecond).ToString("P0", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-40} {r.DocumentsPerSecond,8:F1} {ratio,7} {Seconds(r.P50),7} {Seconds(r.P95),7} {Seconds(r.P99),7}  {r.Note}"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"run",-40} {"process",-22} {"CPU ms/doc",10} {"peak MB",8} {"end MB",8} {"gen2 GCs",8} {"GC pause s",10}"));
        foreach (var r in results)
        {
            foreach (var p in r.Processes)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Name,-40} {p.Name,-22} {p.CpuMsPerDocument,10:F2} {Figure(p.PeakMb, "F0"),8} {Figure(p.EndMb, "F0"),8} {Figure(p.FullCollections, "F0"),8} {Figure(p.GcPauseSeconds, "F2"),10}"));
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{documents} documents; ratio = docs/s against the run named in its note; CPU ms/doc = the process's CPU time over the run / documents."));
    }

    private static string Seconds(TimeSpan? value) =>
        value is { } v ? v.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Figure(double value, string format) =>
        double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Percentiles of drop→stored times, and the rate from the first drop to the last stored row.</summary>
internal static class Latency
{
    public static (double Rate, TimeSpan P50, TimeSpan P95, TimeSpan P99) Of(
        IReadOnlyDictionary<string, DateTime> dropped, IReadOnlyDictionary<string, DateTime> stored)
    {
        var latencies = dropped.Select(d => stored[d.Key] - d.Value).Order().ToList();
        var elapsed = stored.Values.Max() - dropped.Values.Min();
        return (dropped.Count / elapsed.TotalSeconds, At(0.50), At(0.95), At(0.99));

        TimeSpan At(double quantile) => latencies[(int)Math.Ceiling(quantile * latencies.Count) - 1];
    }

    /// <summary>Waits until <paramref name="count"/> reports all documents stored; fails if nothing moves for two minutes.</summary>
    public static async Task WaitForAsync(Func<Task<long>> count, int documents, Func<string> diagnostics)
    {
        var last = -1L;
        var stalled = Stopwatch.StartNew();
        while (true)
        {
            var now = await count();
            if (now >= documents)
            {
                return;
            }

            if (now != last)
            {
                last = now;
                stalled.Restart();
            }
            else if (stalled.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"stuck at {now} of {documents} stored documents:{Environment.NewLine}{diagnostics()}");
            }

            await Task.Delay(250);
        }
    }
}

/// <summary>The broker and the database for the deployed runs, found as the tests find them.</summary>
internal sealed class Servers : IAsyncDisposable
{
    private Servers(RabbitMqServer rabbitMq, PostgresServer postgres)
    {
        RabbitMq = rabbitMq;
        Postgres = postgres;
    }

    public RabbitMqServer RabbitMq { get; }

    public PostgresServer Postgres { get; }

    public static async Task<Servers> StartAsync()
    {
        var rabbitMq = new RabbitMqServer();
        await rabbitMq.InitializeAsync();
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        return new Servers(rabbitMq, postgres);
    }

    /// <summary>
    /// Empties the stages' queues, drops the databases of the runs so far and writes PostgreSQL's dirty pages out
    /// now, so that nothing of an earlier run (messages, autovacuum, a checkpoint of its rows) runs during the next.
    /// </summary>
    public async Task ClearAsync()
    {
        await using (var queues = await StageQueueClient.ConnectAsync(RabbitMq.Uri))
        {
            await queues.PurgeAsync();
        }

        await Postgres.DropDatabasesAsync();
        await using var connection = new NpgsqlConnection(Postgres.ServerConnectionString);
        await connection.OpenAsync();
        await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
        await checkpoint.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await RabbitMq.DisposeAsync();
    }
}
