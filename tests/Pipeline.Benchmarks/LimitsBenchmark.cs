using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Benchmarks.EndToEnd;
using Pipeline.Contracts;
using Pipeline.Stages;
using Pipeline.Storage;

/// <summary>
/// <c>limits [--dir DIR] [--text-mb 60] [--line-mb 16] [--search-mb 1,4,16,60] [--timeout SECONDS] [--only process|search]</c>: how long
/// documents fare. Generates (once, into DIR) a text of normal paragraphs, one long line of words without a sentence
/// break, and an archive of long documents; then prints the time and peak resident memory of clean + extract
/// (<see cref="DocumentProcessor.Process"/>) on the text and on the line, and of a search for <c>the</c> in an
/// SQLite store holding each long document, and all of them. Each case runs in a child process of its own, so its
/// peak memory is its own; a case that outlasts the timeout is killed and reported as such.
/// </summary>
internal static class LimitsBenchmark
{
    private const string SearchText = "the";

    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "a", "market", "prices", "rose", "fell", "government", "said", "report",
        "farmers", "exports", "rice", "coffee", "ministry", "week", "quarter", "growth", "trade", "bank", "city",
        "officials", "plan", "new", "road", "port", "water", "energy", "solar", "power", "region", "people", "workers",
        "company", "shares", "investors", "talks", "would", "after", "before", "with", "from", "for", "on", "by",
        "harvest", "season", "record", "demand", "supply", "costs", "budget", "council", "river", "delta", "schools",
    ];

    private static readonly string[] Names =
    [
        "Anna Keller", "Nguyen Van Minh", "Lisbon", "Hanoi", "Northwind Bank", "the World Bank", "Maria Santos",
        "Mekong Delta", "European Union", "Tran Thi Lan", "Reuters", "Ho Chi Minh City", "Peter Okafor", "Danube Energy",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (TrainNer.Option(args, "--case") is { } kind)
        {
            return await RunCaseAsync(kind, TrainNer.Option(args, "--input")!);
        }

        var dir = TrainNer.Option(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "pipeline-limits");
        var textMb = int.Parse(TrainNer.Option(args, "--text-mb") ?? "60", CultureInfo.InvariantCulture);
        var lineMb = int.Parse(TrainNer.Option(args, "--line-mb") ?? "16", CultureInfo.InvariantCulture);
        var searchMb = (TrainNer.Option(args, "--search-mb") ?? "1,4,16,60").Split(',')
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var timeout = TimeSpan.FromSeconds(int.Parse(TrainNer.Option(args, "--timeout") ?? "900", CultureInfo.InvariantCulture));
        var only = TrainNer.Option(args, "--only");
        Directory.CreateDirectory(dir);

        var text = Generate(Path.Combine(dir, $"text-{textMb}mb.txt"), textMb, paragraphs: true);
        var line = Generate(Path.Combine(dir, $"line-{lineMb}mb.txt"), lineMb, paragraphs: false);
        var archive = searchMb.Select(mb => Generate(Path.Combine(dir, "archive", $"long-{mb}mb.txt"), mb, paragraphs: true)).ToList();
        var stores = new List<(string What, string Path)>();
        foreach (var (mb, file) in searchMb.Zip(archive))
        {
            stores.Add(($"search '{SearchText}', store with a {mb} MB document", await BuildStoreAsync(Path.Combine(dir, $"store-{mb}mb.db"), [file])));
        }

        if (archive.Count > 1)
        {
            var all = Path.Combine(dir, $"store-{string.Join('-', searchMb)}mb.db");
            stores.Add(($"search '{SearchText}', store with all {archive.Count}", await BuildStoreAsync(all, archive)));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"inputs in {dir}; each case in a child process, killed after {timeout.TotalSeconds:F0} s; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores"));
        Console.WriteLine($"{"case",-52} {"seconds",9} {"peak MB",8}  result");
        if (only is null or "process")
        {
            Measure($"clean + extract, {textMb} MB text", "process", text, timeout);
            Measure($"clean + extract, {lineMb} MB single line", "process", line, timeout);
        }

        if (only is null or "search")
        {
            foreach (var (what, path) in stores)
            {
                Measure(what, "search", path, timeout);
            }
        }

        return 0;
    }

    /// <summary>Runs one case in a child process and prints its wall time, peak resident memory and what it printed.</summary>
    private static void Measure(string what, string kind, string input, TimeSpan timeout)
    {
        var start = BenchmarkProcess.StartInfo(["limits", "--case", kind, "--input", input]);
        start.RedirectStandardOutput = true;
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        long peak = 0;
        while (!child.WaitForExit(200))
        {
            try
            {
                peak = Math.Max(peak, ProcessStats.Of(child.Id).PeakResidentBytes);
            }
            catch (IOException)
            {
                // Exited between the wait and the read.
            }

            if (clock.Elapsed > timeout)
            {
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{what,-52} {">" + timeout.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture),9} {peak / 1e6,8:F0}  killed"));
                return;
            }
        }

        // The child reports its own time (without start-up and model load) and peak on its last line.
        var last = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "no output";
        var fields = last.Split('\t');
        Console.WriteLine(fields.Length == 3
            ? string.Create(CultureInfo.InvariantCulture, $"{what,-52} {fields[0],9} {fields[1],8}  {fields[2]}")
            : $"{what,-52} {"?",9} {peak / 1e6,8:F0}  exit code {child.ExitCode}: {last}");
    }

    private static async Task<int> RunCaseAsync(string kind, string input)
    {
        string result;
        Stopwatch clock;
        if (kind == "process")
        {
            var processor = DocumentProcessor.CreateDefault();
            var content = await File.ReadAllBytesAsync(input);
            clock = Stopwatch.StartNew();
            var article = processor.Cleaner.Clean(content, Path.GetFileName(input));
            var clean = clock.Elapsed;
            var analysis = processor.Analyse(article);
            result = string.Create(CultureInfo.InvariantCulture,
                $"clean {clean.TotalSeconds:F1} s, extract {(clock.Elapsed - clean).TotalSeconds:F1} s; {article.Text.Length:N0} characters, {analysis.Entities.Count:N0} mentions, {analysis.Keywords.Count} keywords");
        }
        else
        {
            using var store = new SqliteDocumentStore(input);
            clock = Stopwatch.StartNew();
            var page = await store.SearchDocumentsAsync(new DocumentQuery { Text = SearchText }, CancellationToken.None);
            result = string.Create(CultureInfo.InvariantCulture,
                $"{page.Total} hits, longest snippet {page.Hits.Max(h => h.Snippet.Length)} characters");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seconds:F2}\t{self.PeakWorkingSet64 / 1e6:F0}\t{result}"));
        return 0;
    }

    /// <summary>A store (made once) holding the documents, a few short ones beside them.</summary>
    private static async Task<string> BuildStoreAsync(string path, IReadOnlyList<string> files)
    {
        if (File.Exists(path))
        {
            return path;
        }

        var building = path + ".building";
        File.Delete(building);
        string index;
        using (var store = new SqliteDocumentStore(building))
        {
            index = store.IndexPath;
            var documents = files.Select(f => Document(Path.GetFileName(f), File.ReadAllText(f))).ToList();
            for (var i = 0; i < 20; i++)
            {
                var rng = new Random(i);
                documents.Add(Document($"short-{i}.txt", Paragraphs(rng, 2_000)));
            }

            foreach (var document in documents)
            {
                await store.UpsertAsync(document, CancellationToken.None);
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            // Nothing is related here: the relater's empty index file is not kept.
            File.Delete(index + suffix);
            if (File.Exists(building + suffix))
            {
                File.Move(building + suffix, path + suffix, overwrite: true);
            }
        }

        return path;
    }

    private static ProcessedDocument Document(string name, string text)
    {
        var content = Encoding.UTF8.GetBytes(text);
        var title = text[..text.IndexOf('\n', StringComparison.Ordinal)];
        return new ProcessedDocument(
            DocumentId.FromContent(content),
            name,
            content,
            DateTimeOffset.UnixEpoch,
            new CleanedArticle(title, text, "en", "text", ArticleMetadata.Empty),
            new DocumentAnalysis(null, null, [], [], string.Empty));
    }

    /// <summary>Writes (once) about <paramref name="megabytes"/> MB of text: paragraphs of sentences, or one line of words.</summary>
    private static string Generate(string path, int megabytes, bool paragraphs)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var rng = new Random(megabytes);
            var size = megabytes * 1_000_000;
            File.WriteAllText(path, paragraphs ? Paragraphs(rng, size) : Line(rng, size));
        }

        return path;
    }

    private static string Paragraphs(Random rng, int size)
    {
        var text = new StringBuilder(size + 1000).Append("A long report on markets and harvests\n\n");
        while (text.Length < size)
        {
            for (var s = rng.Next(3, 8); s > 0; s--)
            {
                var sentence = Line(rng, rng.Next(60, 200));
                text.Append(char.ToUpperInvariant(sentence[0])).Append(sentence, 1, sentence.Length - 1).Append(". ");
            }

            text.Length--;
            text.Append("\n\n");
        }

        return text.ToString();
    }

    /// <summary>Words, names and now and then a comma, without a full stop or a line break.</summary>
    private static string Line(Random rng, int size)
    {
        var text = new StringBuilder(size + 100);
        while (text.Length < size)
        {
            if (text.Length > 0)
            {
                text.Append(rng.Next(12) == 0 ? ", " : " ");
            }

            // "the" about as often as in English prose (one word in fifteen): the search's common word.
            text.Append(rng.Next(8) == 0 ? Names[rng.Next(Names.Length)] : rng.Next(16) == 0 ? "the" : Words[rng.Next(Words.Length)]);
        }

        return text.ToString();
    }
}
