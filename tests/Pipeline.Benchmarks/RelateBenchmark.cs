using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Pipeline.Contracts;
using Pipeline.Relating;
using Pipeline.Stages;

/// <summary>
/// <c>relate [--dir DIR] [--out DIR]</c>: cleans and extracts archive-dev once, relates it in three orders (sorted and
/// two fixed-seed shuffles), writes each order's JSON lines to <c>--out</c> and prints score_archive.py's summary line
/// for each; then relates the two seeds and checks they come out as two stories with one Nguyen Phu Trong and one
/// Vladimir Putin.
/// <c>relate-scale [--dir DIR] [--sizes 10000,50000,100000] [--index memory|sqlite|postgres]</c>: grows one archive from variants
/// of the analysed dev documents and prints relate's documents per second and the process's memory at each size; the
/// archive is the in-memory index of <c>pipeline relate</c> or, with <c>sqlite</c> or <c>postgres</c>, the embedded or
/// the deployed store as the relate stage uses it (with <c>postgres</c>, CPU includes the server's; the server is the
/// one the tests use, so run it after <c>source deploy/local/services.sh; pipeline_services_up</c>).
/// Run from the repository root (the data is in ../shared).
/// </summary>
internal static class RelateBenchmark
{
    private const string DefaultDir = "../shared/data/archive-dev";
    private static readonly int[] ShuffleSeeds = [1, 2];
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(string[] args)
    {
        string dir = TrainNer.Option(args, "--dir") ?? DefaultDir;
        string outDir = TrainNer.Option(args, "--out") ?? Path.Combine(Path.GetTempPath(), "relate-benchmark");
        Directory.CreateDirectory(outDir);
        var documents = Analyse(dir).Select(RelateInput.From).ToList();
        var orders = new List<(string Name, List<RelateInput> Documents)> { ("sorted", documents) };
        orders.AddRange(ShuffleSeeds.Select(seed => ($"shuffle seed {seed}", Shuffle(documents, seed))));
        foreach (var (name, order) in orders)
        {
            string output = Path.Combine(outDir, name.Replace(' ', '-') + ".jsonl");
            var clock = Stopwatch.StartNew();
            await using (var writer = new StreamWriter(output))
            {
                foreach (var (input, related) in await RelateAsync(order))
                {
                    await writer.WriteLineAsync(JsonSerializer.Serialize(RelatedView.Create(input.FileName, input, related), Json));
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {order.Count} documents related in {clock.Elapsed.TotalSeconds:F1} s; {Score(Path.Combine(dir, "gold.json"), output)}"));
        }

        return await SeedsAsync() ? 0 : 1;
    }

    public static async Task<int> RunScaleAsync(string[] args)
    {
        // The relate stage and `pipeline relate` run with the server GC (the Web SDK's default), while this project
        // keeps the workstation GC that its other modes' ceilings were measured with. The GC decides how a decision's
        // cost grows with the archive (workstation GC: its pauses grew from 0.5 to 2.6 ms a document between 10,000
        // and 100,000), so the archive is grown in a child process with the product's GC.
        if (!GCSettings.IsServerGC)
        {
            return await RunWithServerGcAsync();
        }

        string dir = TrainNer.Option(args, "--dir") ?? DefaultDir;
        var sizes = (TrainNer.Option(args, "--sizes") ?? "10000,50000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        string where = TrainNer.Option(args, "--index") ?? "memory";
        var documents = Analyse(dir);
        await using var archive = await ScaleArchive.OpenAsync(where);
        // Each size is timed over its last documents, so that the figure is the cost at that size, not the average so far.
        const int window = 2000, batch = 100;
        var start = DateTimeOffset.UnixEpoch;
        int related = 0;
        using var process = Process.GetCurrentProcess();
        foreach (int size in sizes.Order())
        {
            var timed = new Window();
            while (related < size)
            {
                var variants = Enumerable.Range(related, Math.Min(batch, size - related))
                    .Select(n => ArchiveVariants.Create(documents[n % documents.Count], n / documents.Count, start.AddSeconds(n)))
                    .ToList();
                // Storing is the store stage's work: only relating is timed.
                await archive.StoreAsync(variants);
                var before = Window.Now(process, archive);
                foreach (var variant in variants)
                {
                    await archive.RelateAsync(variant);
                }

                related += variants.Count;
                if (related > size - window)
                {
                    timed = timed.Add(Window.Now(process, archive) - before, variants.Count);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"relate-scale ({where}, server GC): archive {size} documents: {timed.Documents / timed.Wall.TotalSeconds:F0} documents/s wall, {timed.Documents / timed.Cpu.TotalSeconds:F0} per CPU second ({timed.PerDocument(timed.Cpu.TotalMilliseconds * 1000):F0} µs CPU per document over the last {timed.Documents}), working set {process.WorkingSet64 / 1048576} MB, GC heap {GC.GetTotalMemory(false) / 1048576} MB, {archive.Describe()}{timed.PerDocument(timed.Written) / 1024:F0} KB written per document, GC pauses {timed.PerDocument(timed.Paused.TotalMilliseconds * 1000):F0} µs per document and {timed.FullCollections} full collections over the last {timed.Documents}"));
        }

        return 0;
    }

    private static async Task<int> RunWithServerGcAsync()
    {
        var start = BenchmarkProcess.StartInfo(Environment.GetCommandLineArgs()[1..]);
        start.Environment["DOTNET_gcServer"] = "1";
        using var child = Process.Start(start)!;
        await child.WaitForExitAsync();
        return child.ExitCode;
    }

    /// <summary>What relating cost over some documents: time, CPU, the GC's pauses and full collections, bytes written.</summary>
    private readonly record struct Window(TimeSpan Wall, TimeSpan Cpu, TimeSpan Paused, int FullCollections, long Written, int Documents)
    {
        /// <summary>The counters now (wall time as time since the process started; CPU of the process and of the archive's server).</summary>
        public static Window Now(Process process, ScaleArchive archive)
        {
            process.Refresh();
            return new Window(
                Stopwatch.GetElapsedTime(0), process.TotalProcessorTime + TimeSpan.FromSeconds(archive.ServerCpuSeconds()),
                GC.GetTotalPauseDuration(), GC.CollectionCount(2), BytesWritten(), 0);
        }

        public static Window operator -(Window after, Window before) => new(
            after.Wall - before.Wall, after.Cpu - before.Cpu, after.Paused - before.Paused,
            after.FullCollections - before.FullCollections, after.Written - before.Written, 0);

        public Window Add(Window delta, int documents) => new(
            Wall + delta.Wall, Cpu + delta.Cpu, Paused + delta.Paused, FullCollections + delta.FullCollections, Written + delta.Written, Documents + documents);

        public double PerDocument(double total) => total / Math.Max(1, Documents);

        /// <summary>Bytes the process has handed to write calls (Linux's /proc/self/io; 0 elsewhere): SQLite's journal and pages.</summary>
        private static long BytesWritten()
        {
            const string path = "/proc/self/io", field = "wchar: ";
            return File.Exists(path) && File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line
                ? long.Parse(line[field.Length..], CultureInfo.InvariantCulture)
                : 0;
        }
    }

    /// <summary>Cleans and extracts every file of DIR/docs once, in name order.</summary>
    private static List<ProcessedDocument> Analyse(string dir)
    {
        var clock = Stopwatch.StartNew();
        var files = Directory.GetFiles(Path.Combine(dir, "docs")).Order(StringComparer.Ordinal).ToList();
        var documents = Processed(files);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analysed {documents.Count} files of {dir} in {clock.Elapsed.TotalSeconds:F1} s"));
        return documents;
    }

    /// <summary>Relates the documents in order into a new archive, each ingested a second after the one before.</summary>
    private static async Task<List<(RelateInput Input, DocumentRelated Related)>> RelateAsync(List<RelateInput> documents)
    {
        var relater = new ArchiveRelater();
        var index = new InMemoryArchiveIndex();
        var results = new List<(RelateInput, DocumentRelated)>();
        for (int i = 0; i < documents.Count; i++)
        {
            var input = documents[i] with { IngestedAt = DateTimeOffset.UnixEpoch.AddSeconds(i) };
            results.Add((input, await relater.RelateAsync(input, index, CancellationToken.None)));
        }

        return results;
    }

    private static List<RelateInput> Shuffle(List<RelateInput> documents, int seed)
    {
        var shuffled = documents.ToArray();
        new Random(seed).Shuffle(shuffled);
        return [.. shuffled];
    }

    /// <summary>score_archive.py's summary line.</summary>
    private static string Score(string gold, string predictions)
    {
        var start = new ProcessStartInfo("python3", ["../shared/tools/score_archive.py", gold, predictions]) { RedirectStandardOutput = true };
        using var python = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        string output = python.StandardOutput.ReadToEnd();
        python.WaitForExit();
        return output.Split('\n').FirstOrDefault(l => l.StartsWith("summary:", StringComparison.Ordinal)) ?? "no summary: " + output;
    }

    /// <summary>The files cleaned and extracted, in the order given.</summary>
    private static List<ProcessedDocument> Processed(IEnumerable<string> files)
    {
        var processor = DocumentProcessor.CreateDefault();
        return files.Select(f => processor.Process(Path.GetFileName(f), File.ReadAllBytes(f), DateTimeOffset.UnixEpoch)).ToList();
    }

    /// <summary>The seeds: two meetings of one party leader with two ambassadors, eight months apart.</summary>
    private static async Task<bool> SeedsAsync()
    {
        var files = Directory.GetFiles("tests/fixtures/seeds").Order(StringComparer.Ordinal);
        var results = await RelateAsync(Processed(files).Select(RelateInput.From).ToList());
        int stories = results.Select(r => r.Related.StoryId).Distinct().Count();
        int trong = EntitiesNamed(results, "Trong");
        int putin = EntitiesNamed(results, "Putin");
        bool ok = stories == 2 && trong == 1 && putin == 1;
        Console.WriteLine($"seeds: {stories} stories, {trong} Nguyen Phu Trong, {putin} Vladimir Putin: {(ok ? "ok" : "WRONG")}");
        return ok;
    }

    private static int EntitiesNamed(List<(RelateInput Input, DocumentRelated Related)> results, string surname) =>
        results.SelectMany(r => r.Input.Entities.Zip(r.Related.EntityIds).Concat(r.Input.TitleEntities.Zip(r.Related.TitleEntityIds)))
            .Where(m => m.First.Text.EndsWith(surname, StringComparison.Ordinal))
            .Select(m => m.Second)
            .Distinct()
            .Count();
}
