using System.Diagnostics;
using System.Globalization;
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
/// <c>relate-scale [--dir DIR] [--sizes 10000,50000,100000]</c>: grows one archive from variants of the analysed dev
/// documents and prints relate's documents per second and the process's memory at each size.
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
        var documents = Analyse(dir);
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
        string dir = TrainNer.Option(args, "--dir") ?? DefaultDir;
        var sizes = (TrainNer.Option(args, "--sizes") ?? "10000,50000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var documents = Analyse(dir);
        var relater = new ArchiveRelater();
        var index = new InMemoryArchiveIndex();
        // Each size is timed over its last documents, so that the figure is the cost at that size, not the average so far.
        const int window = 2000;
        var start = DateTimeOffset.UnixEpoch;
        int related = 0;
        var clock = new Stopwatch();
        using var process = Process.GetCurrentProcess();
        var cpuAtStart = TimeSpan.Zero;
        var pausedAtStart = TimeSpan.Zero;
        int gen2AtStart = 0;
        foreach (int size in sizes.Order())
        {
            while (related < size)
            {
                var input = ArchiveVariants.Create(documents[related % documents.Count], related / documents.Count, start.AddSeconds(related));
                if (related == size - window)
                {
                    process.Refresh();
                    cpuAtStart = process.TotalProcessorTime;
                    pausedAtStart = GC.GetTotalPauseDuration();
                    gen2AtStart = GC.CollectionCount(2);
                    clock.Restart();
                }

                await relater.RelateAsync(input, index, CancellationToken.None);
                related++;
            }

            var timed = clock.Elapsed;
            process.Refresh();
            // On a shared machine the CPU time of this single-threaded work is the steadier figure.
            var cpu = process.TotalProcessorTime - cpuAtStart;
            var paused = GC.GetTotalPauseDuration() - pausedAtStart;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"relate-scale: archive {size} documents: {window / timed.TotalSeconds:F0} documents/s wall, {window / cpu.TotalSeconds:F0} per CPU second ({cpu.TotalMilliseconds * 1000 / window:F0} µs CPU per document over the last {window}), working set {process.WorkingSet64 / 1048576} MB, GC heap {GC.GetTotalMemory(false) / 1048576} MB, GC pauses {paused.TotalMilliseconds * 1000 / window:F0} µs per document and {GC.CollectionCount(2) - gen2AtStart} full collections over the last {window}"));
        }

        return 0;
    }

    /// <summary>Cleans and extracts every file of DIR/docs once, in name order.</summary>
    private static List<RelateInput> Analyse(string dir)
    {
        var clock = Stopwatch.StartNew();
        var files = Directory.GetFiles(Path.Combine(dir, "docs")).Order(StringComparer.Ordinal).ToList();
        var documents = Inputs(files);
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

    /// <summary>The seeds: two meetings of one party leader with two ambassadors, eight months apart.</summary>
    /// <summary>The files cleaned and extracted, in the order given.</summary>
    private static List<RelateInput> Inputs(IEnumerable<string> files)
    {
        var processor = DocumentProcessor.CreateDefault();
        return files.Select(f => RelateInput.From(processor.Process(Path.GetFileName(f), File.ReadAllBytes(f), DateTimeOffset.UnixEpoch))).ToList();
    }

    private static async Task<bool> SeedsAsync()
    {
        var files = Directory.GetFiles("tests/fixtures/seeds").Order(StringComparer.Ordinal);
        var documents = Inputs(files);
        var results = await RelateAsync(documents);
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
