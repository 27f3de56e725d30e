using System.Diagnostics;
using System.Globalization;
using Pipeline.Extraction;
using Pipeline.Extraction.Ner;

/// <summary>
/// <c>extract [--dev FILE] [--dir DIR --out FILE] [--model FILE]</c>: prints the model load time, then tagging and
/// whole-extract-stage speed (tokens/s, one core) on the CoNLL dev data laid out as score_ner.py lays it out.
/// With <c>--dir</c>, also writes one JSON line per DIR/*.txt (the <c>pipeline extract</c> format) to <c>--out</c>,
/// for <c>score_ner.py score</c>.
/// </summary>
internal static class ExtractBenchmark
{
    public static int Run(string[] args)
    {
        string dev = TrainNer.Option(args, "--dev") ?? "../shared/data/conll2003/eng.testa";
        string? dir = TrainNer.Option(args, "--dir");
        string? output = TrainNer.Option(args, "--out");
        string? modelPath = TrainNer.Option(args, "--model");

        // Wall-clock and CPU time: on a shared machine the CPU time of this (single-threaded) work is the steadier figure.
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var extractor = modelPath is null ? EntityExtractor.CreateDefault() : EntityExtractor.FromModelFile(modelPath);
        var load = clock.Elapsed;
        process.Refresh();
        var loadCpu = process.TotalProcessorTime - cpu0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model load: {load.TotalMilliseconds:F0} ms wall, {loadCpu.TotalMilliseconds:F0} ms CPU (first CreateDefault: model, gazetteers, clusters; {extractor.Tagger.Model.FeatureCount} + {extractor.Tagger.Stage2?.FeatureCount ?? 0} feature rows)"));

        if (dir is not null)
        {
            using var writer = output is null ? Console.Out : new StreamWriter(output);
            foreach (var file in Directory.GetFiles(dir, "*.txt").Order(StringComparer.Ordinal))
            {
                var analysis = extractor.Extract(File.ReadAllText(file));
                writer.WriteLine(ExtractionJson.ToJsonLine(file, analysis));
            }

            Console.WriteLine($"wrote predictions for {dir} to {output ?? "stdout"}");
        }

        var docs = Conll.Read(dev);
        var texts = docs.Select(d => string.Join('\n', d.Sentences.Select(s => string.Join(' ', d.Words[s.First..s.End])))).ToList();
        long tokens = docs.Sum(d => (long)d.Words.Length);

        // Warm-up, then timed passes on one thread.
        foreach (var (d, t) in docs.Zip(texts).Take(40))
        {
            extractor.Tagger.Tag(d.Words, d.Sentences);
            extractor.Analyze(t);
        }

        const int passes = 3;
        var (tagWall, tagCpu) = Time(process, () =>
        {
            for (int p = 0; p < passes; p++)
            {
                foreach (var d in docs)
                {
                    extractor.Tagger.Tag(d.Words, d.Sentences);
                }
            }
        });
        var (allWall, allCpu) = Time(process, () =>
        {
            for (int p = 0; p < passes; p++)
            {
                foreach (var t in texts)
                {
                    extractor.Analyze(t);
                }
            }
        });

        long n = tokens * passes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dev data: {docs.Count} documents, {tokens} tokens; one thread, {passes} passes; load average {LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tagging (two stages): {n / tagWall,10:N0} tokens/s wall, {n / tagCpu,10:N0} tokens/s per CPU second"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"whole extract stage:  {n / allWall,10:N0} tokens/s wall, {n / allCpu,10:N0} tokens/s per CPU second (tokenise, dateline, tag, roles, coreference, dates, keywords, summary)"));
        return 0;
    }

    private static (double Wall, double Cpu) Time(Process process, Action work)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        work();
        double wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
