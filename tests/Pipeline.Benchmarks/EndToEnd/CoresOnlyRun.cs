using System.Diagnostics;
using System.Globalization;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Extraction;
using Pipeline.Relating;
using Pipeline.Storage;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// The ceiling: clean, extract and the store's batched write called directly on every core, no bus and no files
/// to watch. Each step runs over the whole corpus before the next, so each step's CPU time is its own. On SQLite the
/// documents are then related one at a time as the relate stage does, for the embedded run (all five stages).
/// </summary>
internal static class CoresOnlyRun
{
    public const string Sqlite = "cores only: clean+extract+write, SQLite";
    public const string SqliteRelated = "cores only: clean+extract+write+relate, SQLite";
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
            string note = string.Create(CultureInfo.InvariantCulture,
                $"clean {n / clean.Wall.TotalSeconds:F0}/s, extract {n / extract.Wall.TotalSeconds:F0}/s on {cores.MaxDegreeOfParallelism} threads; write {n / write.Wall.TotalSeconds:F0}/s in batches of {batchSize}; postgres CPU {postgresCpu * 1000 / n:F2} ms/doc");
            List<(string Step, (TimeSpan Wall, TimeSpan Cpu) Figures)> steps = [("clean", clean), ("extract", extract), ("store write", write)];
            results.Add(Result(name, n, steps, note));
            if (name == Sqlite)
            {
                var relater = new ArchiveRelater();
                var relate = await MeasureAsync(async () =>
                {
                    foreach (var document in documents)
                    {
                        await StoredRelation.RelateAsync(store, relater, document.DocumentId);
                    }
                });
                results.Add(Result(SqliteRelated, n, [.. steps, ("relate", relate)],
                    string.Create(CultureInfo.InvariantCulture, $"as above, then relate {n / relate.Wall.TotalSeconds:F0}/s one at a time")));
            }
        }

        return results;
    }

    /// <summary>The steps run one after another: the rate is the documents over the sum of their times.</summary>
    private static RunResult Result(string name, int n, List<(string Step, (TimeSpan Wall, TimeSpan Cpu) Figures)> steps, string note) => new(
        name,
        n / steps.Sum(s => s.Figures.Wall.TotalSeconds),
        null,
        null,
        null,
        [.. steps.Select(s => new ProcessFigures(s.Step, s.Figures.Cpu.TotalMilliseconds / n, double.NaN, double.NaN))],
        note);

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
