using System.Diagnostics;
using System.Globalization;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Extraction;
using Pipeline.Storage;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// The ceiling: clean, extract and the store's batched write called directly on every core, no bus and no files
/// to watch. Each step runs over the whole corpus before the next, so each step's CPU time is its own.
/// </summary>
internal static class CoresOnlyRun
{
    public const string Sqlite = "cores only: clean+extract+write, SQLite";
    public const string Postgres = "cores only: clean+extract+write, PostgreSQL";

    public static async Task<IReadOnlyList<RunResult>> RunAsync(CorpusSource corpus, Servers servers, string folder)
    {
        var names = corpus.Names;
        var n = names.Count;
        var contents = names.Select(name => File.ReadAllBytes(corpus.PathOf(name))).ToArray();
        var cleaner = new ArticleCleaner();
        var extractor = EntityExtractor.CreateDefault();
        var cores = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        foreach (var i in Enumerable.Range(0, Math.Min(n, 20)))
        {
            var warm = cleaner.Clean(contents[i], names[i]);
            extractor.Extract(warm.Text, warm.Metadata.PublishedAt, warm.Title);
        }

        var articles = new CleanedArticle[n];
        var clean = await MeasureAsync(() => Task.Run(() => Parallel.For(0, n, cores, i => articles[i] = cleaner.Clean(contents[i], names[i]))));
        var analyses = new DocumentAnalysis[n];
        var extract = await MeasureAsync(() => Task.Run(() =>
            Parallel.For(0, n, cores, i => analyses[i] = extractor.Extract(articles[i].Text, articles[i].Metadata.PublishedAt, articles[i].Title))));
        var ingestedAt = DateTimeOffset.UtcNow;
        var documents = Enumerable.Range(0, n)
            .Select(i => new ProcessedDocument(DocumentId.FromContent(contents[i]), names[i], contents[i], ingestedAt, articles[i], analyses[i]))
            .ToList();

        var results = new List<RunResult>();
        foreach (var (name, options) in new[]
        {
            (Sqlite, new StorageOptions { SqlitePath = Path.Combine(folder, "pipeline.db") }),
            (Postgres, new StorageOptions { PostgresConnectionString = await servers.Postgres.CreateDatabaseAsync() }),
        })
        {
            await using var store = DocumentStoreFactory.Create(options);
            await store.InitializeAsync(CancellationToken.None);
            var batchSize = new StorageBatchOptions().MaxDocuments;
            var postgresCpu = ProcessStats.CpuSecondsOfAll("postgres");
            var write = await MeasureAsync(async () =>
            {
                foreach (var batch in documents.Chunk(batchSize))
                {
                    await store.UpsertManyAsync(batch, CancellationToken.None);
                }
            });
            postgresCpu = ProcessStats.CpuSecondsOfAll("postgres") - postgresCpu;
            var wall = clean.Wall + extract.Wall + write.Wall;
            results.Add(new RunResult(
                name,
                n / wall.TotalSeconds,
                null,
                null,
                null,
                [
                    new ProcessFigures("clean", clean.Cpu.TotalMilliseconds / n, double.NaN, double.NaN),
                    new ProcessFigures("extract", extract.Cpu.TotalMilliseconds / n, double.NaN, double.NaN),
                    new ProcessFigures("store write", write.Cpu.TotalMilliseconds / n, double.NaN, double.NaN),
                ],
                string.Create(CultureInfo.InvariantCulture,
                    $"clean {n / clean.Wall.TotalSeconds:F0}/s, extract {n / extract.Wall.TotalSeconds:F0}/s on {cores.MaxDegreeOfParallelism} threads; write {n / write.Wall.TotalSeconds:F0}/s in batches of {batchSize}; postgres CPU {postgresCpu * 1000 / n:F2} ms/doc")));
        }

        return results;
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> step)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await step();
        var wall = clock.Elapsed;
        process.Refresh();
        return (wall, process.TotalProcessorTime - cpu);
    }
}
