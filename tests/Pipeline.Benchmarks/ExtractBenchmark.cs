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

        var clock = Stopwatch.StartNew();
        var extractor = modelPath is null ? EntityExtractor.CreateDefault() : EntityExtractor.FromModelFile(modelPath);
        var load = clock.Elapsed;
        Console.WriteLine($"model load: {load.TotalMilliseconds:F0} ms (first CreateDefault, includes gazetteers and clusters; {extractor.Tagger.Model.FeatureCount} feature rows)");

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
        foreach (var d in docs.Take(20))
        {
            extractor.Tagger.Tag(d.Words, d.Sentences);
        }

        const int passes = 3;
        clock.Restart();
        for (int p = 0; p < passes; p++)
        {
            foreach (var d in docs)
            {
                extractor.Tagger.Tag(d.Words, d.Sentences);
            }
        }

        double tagRate = tokens * passes / clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (int p = 0; p < passes; p++)
        {
            foreach (var t in texts)
            {
                extractor.Analyze(t);
            }
        }

        double extractRate = tokens * passes / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dev data: {docs.Count} documents, {tokens} tokens; one thread, {passes} passes"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tagging:       {tagRate,10:N0} tokens/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"whole extract: {extractRate,10:N0} tokens/s (tokenise, dateline, tag, roles, coreference, dates, keywords, summary)"));
        return 0;
    }
}
