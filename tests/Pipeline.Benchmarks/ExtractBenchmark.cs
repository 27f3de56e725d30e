using System.Diagnostics;
using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Extraction;
using Pipeline.Extraction.Ner;

/// <summary>
/// <c>extract [--dev FILE] [--mode fast|accurate] [--dir DIR --out FILE] [--model FILE]</c>: for each extraction mode
/// (both unless <c>--mode</c>), prints the model load time, tagging and whole-extract-stage speed (tokens/s, one core)
/// and the entity F1 per class on the CoNLL dev data laid out as score_ner.py lays it out, scored as it scores.
/// With <c>--dir</c>, also writes one JSON line per DIR/*.txt (the <c>pipeline extract</c> format) to <c>--out</c>
/// (with both modes, to OUT with the mode before its extension), for <c>score_ner.py score</c>.
/// <c>--model</c> is a fast model file of one's own.
/// </summary>
internal static class ExtractBenchmark
{
    public static int Run(string[] args)
    {
        string dev = TrainNer.Option(args, "--dev") ?? "../shared/data/conll2003/eng.testa";
        string? dir = TrainNer.Option(args, "--dir");
        string? output = TrainNer.Option(args, "--out");
        string? modelPath = TrainNer.Option(args, "--model");
        string? mode = TrainNer.Option(args, "--mode");
        ExtractionModel[] modes = mode is null
            ? [ExtractionModel.Fast, ExtractionModel.Accurate]
            : [ExtractionOptions.ParseModel(mode, "--mode")];

        var docs = Conll.Read(dev);
        var texts = docs.Select(d => string.Join('\n', d.Sentences.Select(s => string.Join(' ', d.Words[s.First..s.End])))).ToList();
        long tokens = docs.Sum(d => (long)d.Words.Length);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dev data: {docs.Count} documents, {tokens} tokens; one thread, {Passes} timed passes; load average {LoadAverage()} on {Environment.ProcessorCount} cores"));
        foreach (var model in modes)
        {
            Console.WriteLine();
            Console.WriteLine($"== {model.ToString().ToLowerInvariant()} mode ==");
            var extractor = Measure(model, modelPath);
            if (dir is not null)
            {
                string path = output is null || modes.Length == 1
                    ? output ?? "stdout"
                    : Path.ChangeExtension(output, model.ToString().ToLowerInvariant() + Path.GetExtension(output));
                WritePredictions(extractor, dir, output is null ? null : path);
                Console.WriteLine($"wrote predictions for {dir} to {path}");
            }

            Score(extractor, docs, texts);
            Speed(extractor, docs, texts, tokens);
        }

        return 0;
    }

    private const int Passes = 5;

    /// <summary>Creates the extractor, printing how long its first creation (model, gazetteers) took.</summary>
    private static EntityExtractor Measure(ExtractionModel model, string? modelPath)
    {
        // Wall-clock and CPU time: on a shared machine the CPU time of this (single-threaded) work is the steadier figure.
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var extractor = modelPath is not null && model == ExtractionModel.Fast
            ? EntityExtractor.FromModelFile(modelPath)
            : EntityExtractor.Create(model);
        var load = clock.Elapsed;
        process.Refresh();
        var loadCpu = process.TotalProcessorTime - cpu0;
        string what = extractor.EntityTagger is NeuralTagger neural
            ? $"BiLSTM-CNN-CRF, {neural.Model.Words.Length} word vectors, {neural.Model.Hidden} hidden units per direction, the fast model's vote {neural.Model.PerceptronVote}, and the fast model"
            : $"gazetteers, clusters, {extractor.Tagger.Model.FeatureCount} + {extractor.Tagger.Stage2?.FeatureCount ?? 0} feature rows";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model load: {load.TotalMilliseconds:F0} ms wall, {loadCpu.TotalMilliseconds:F0} ms CPU (first creation: {what})"));
        return extractor;
    }

    private static void WritePredictions(EntityExtractor extractor, string dir, string? output)
    {
        using var writer = output is null ? Console.Out : new StreamWriter(output);
        foreach (var file in Directory.GetFiles(dir, "*.txt").Order(StringComparer.Ordinal))
        {
            writer.WriteLine(ExtractionJson.ToJsonLine(file, extractor.Extract(File.ReadAllText(file))));
        }
    }

    /// <summary>
    /// Entity-level precision, recall and F1 per class as score_ner.py computes them: a mention counts when its
    /// (whitespace-trimmed) offsets start and end exactly on the gold entity's tokens and its type maps to the class.
    /// </summary>
    private static void Score(EntityExtractor extractor, List<ConllDocument> docs, List<string> texts)
    {
        var tp = new int[Labels.Classes.Length];
        var fp = new int[Labels.Classes.Length];
        var fn = new int[Labels.Classes.Length];
        for (int d = 0; d < docs.Count; d++)
        {
            var doc = docs[d];
            string text = texts[d];
            var gold = doc.Sentences
                .SelectMany(s => Labels.Spans(doc.Labels.AsSpan(s.First, s.Count)).Select(e => (s.First + e.First, s.First + e.Last, e.Cls)))
                .ToHashSet();
            var starts = new Dictionary<int, int>();
            var ends = new Dictionary<int, int>();
            int pos = 0;
            foreach (var s in doc.Sentences)
            {
                for (int i = s.First; i < s.End; i++)
                {
                    starts[pos] = i;
                    pos += doc.Words[i].Length;
                    ends[pos] = i;
                    pos++;
                }
            }

            var found = new HashSet<(int, int, int)>();
            foreach (var m in extractor.Extract(text).Entities)
            {
                int cls = m.Type switch
                {
                    EntityTypes.Person => 0,
                    EntityTypes.Organization => 1,
                    EntityTypes.Location => 2,
                    EntityTypes.Misc => 3,
                    _ => -1,
                };
                int start = m.Start, end = m.End;
                while (start < end && char.IsWhiteSpace(text[start]))
                {
                    start++;
                }

                while (end > start && char.IsWhiteSpace(text[end - 1]))
                {
                    end--;
                }

                if (cls >= 0 && starts.TryGetValue(start, out int first) && ends.TryGetValue(end, out int last) && first <= last)
                {
                    found.Add((first, last, cls));
                }
            }

            foreach (var e in found)
            {
                (gold.Contains(e) ? tp : fp)[e.Item3]++;
            }

            foreach (var e in gold.Where(e => !found.Contains(e)))
            {
                fn[e.Item3]++;
            }
        }

        Console.WriteLine("dev entity scores through plain text (as score_ner.py):");
        for (int c = 0; c < Labels.Classes.Length; c++)
        {
            PrintScore(Labels.Classes[c], tp[c], fp[c], fn[c]);
        }

        PrintScore("all", tp.Sum(), fp.Sum(), fn.Sum());
    }

    private static void PrintScore(string what, int tp, int fp, int fn)
    {
        double p = tp + fp > 0 ? (double)tp / (tp + fp) : 0, r = tp + fn > 0 ? (double)tp / (tp + fn) : 0;
        double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-5} precision {p:F4}  recall {r:F4}  F1 {f:F4}"));
    }

    private static void Speed(EntityExtractor extractor, List<ConllDocument> docs, List<string> texts, long tokens)
    {
        var process = Process.GetCurrentProcess();
        var tagger = extractor.EntityTagger;

        // Warm-up, then timed passes on one thread.
        foreach (var (d, t) in docs.Zip(texts).Take(40))
        {
            tagger.Tag(d.Words, d.Sentences);
            extractor.Analyze(t);
        }

        // Several passes over the dev data, each timed; on a shared machine the best pass is the one least disturbed.
        var tag = new List<(double Wall, double Cpu)>();
        var all = new List<(double Wall, double Cpu)>();
        for (int p = 0; p < Passes; p++)
        {
            tag.Add(Time(process, () =>
            {
                foreach (var d in docs)
                {
                    tagger.Tag(d.Words, d.Sentences);
                }
            }));
            all.Add(Time(process, () =>
            {
                foreach (var t in texts)
                {
                    extractor.Analyze(t);
                }
            }));
        }

        Console.WriteLine($"speed (load average {LoadAverage()}):");
        Report("tagging             ", tokens, tag);
        Report("whole extract stage ", tokens, all);
        Console.WriteLine("  (whole extract stage: tokenise, dateline, tag, rules, roles, coreference, dates, keywords, summary)");
    }

    private static void Report(string what, long tokens, List<(double Wall, double Cpu)> runs)
    {
        double bestWall = runs.Min(r => r.Wall), medianWall = runs.Select(r => r.Wall).Order().ElementAt(runs.Count / 2);
        double bestCpu = runs.Where(r => r.Cpu > 0).Select(r => r.Cpu).DefaultIfEmpty(double.NaN).Min();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: {tokens / bestWall,9:N0} tokens/s (best pass), {tokens / medianWall,9:N0} tokens/s (median pass), {tokens / bestCpu,9:N0} tokens per CPU second"));
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
