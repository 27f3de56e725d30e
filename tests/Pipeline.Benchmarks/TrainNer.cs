using System.Diagnostics;
using Pipeline.Extraction.Ner;

/// <summary>
/// <c>train-ner [--train FILE] [--dev FILE] [--out FILE] [--seed N] [--epochs N] [--stage1-only]</c>: trains the entity tagger
/// (run from the repository root; writes shared/Pipeline.Extraction/Models/ner.model).
/// <c>train-clusters [--out FILE]</c>: computes the word clusters from unlabelled text (CoNLL train tokens, the
/// article-extraction dev pages' text, the seeds) into shared/Pipeline.Extraction/Models/clusters.tsv.
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
                .Concat(Directory.GetFiles("../shared/seeds", "*.txt")).Order(StringComparer.Ordinal));
        int written = WordClusterBuilder.Build(corpus, output, seed: 7, log: Console.Out);
        Console.WriteLine($"train-clusters: {written} words clustered in {clock.Elapsed.TotalSeconds:F0} s -> {output}");
        return 0;
    }

    internal static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
