using System.Diagnostics;
using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>Options of a training run; the defaults are the ones the shipped model was trained with.</summary>
public sealed record NerTrainingOptions(int Epochs = 14, int Seed = 20_201_203, int MinFeatureCount = 2, float SaveEpsilon = 1e-3f, bool SecondStage = true);

/// <summary>Trains the tagger (a structured averaged perceptron, decoded by beam search) on CoNLL-2003 data; reproducible for a given seed.</summary>
public static class NerTrainer
{
    /// <summary>
    /// Trains on <paramref name="trainPath"/>, picks the epochs with the best F1 on <paramref name="devPath"/>,
    /// and writes the model to <paramref name="modelOutputPath"/> (the second stage and the entity memory go to the
    /// same name with "-stage2" and "-memory" before the extension). Two stages: the second sees the first's labels for the whole document
    /// (its own, its neighbours', the same word elsewhere); on the training data those come from a 4-fold jackknife.
    /// Progress goes to <paramref name="log"/>.
    /// </summary>
    public static double Train(string trainPath, string devPath, string modelOutputPath, int seed = 20_201_203,
        TextWriter? log = null, NerTrainingOptions? options = null, Lexicon? lexicon = null)
    {
        options ??= new NerTrainingOptions(Seed: seed);
        log ??= TextWriter.Null;
        lexicon ??= Lexicon.LoadEmbedded();
        var clock = Stopwatch.StartNew();
        var train = Conll.Read(trainPath);
        var dev = Conll.Read(devPath);
        log.WriteLine($"train: {train.Count} documents, {train.Sum(d => d.Words.Length)} tokens; dev: {dev.Count} documents; clusters {lexicon.ClusterCount}");

        // The names of the training data: each training document sees those of the other folds, the rest see all.
        const int folds = 4;
        var memory = EntityMemory.FromDocuments(train);
        var foldMemory = Enumerable.Range(0, folds)
            .Select(k => EntityMemory.FromDocuments(train.Where((_, d) => d % folds != k)))
            .ToArray();
        var trainFeatures = train.Select((d, i) => new DocumentFeatures(d.Words, d.Sentences, lexicon, foldMemory[i % folds])).ToArray();
        var devFeatures = dev.Select(d => new DocumentFeatures(d.Words, d.Sentences, lexicon, memory)).ToArray();
        var gold = train.Select(d => d.Labels).ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(modelOutputPath))!);
        using (var file = File.Create(MemoryPath(modelOutputPath)))
        {
            memory.Save(file);
        }

        log.WriteLine($"entity memory: {memory.Count} entries");

        var stage1 = TrainModel(trainFeatures, gold, options.Epochs, options.Seed, options.MinFeatureCount, devFeatures, dev, log, "stage 1");
        Save(modelOutputPath, stage1, options.SaveEpsilon, log);
        if (!options.SecondStage)
        {
            File.Delete(Stage2Path(modelOutputPath));
            return stage1.BestF1;
        }

        // Jackknife: first-stage labels for each training document from a model that did not see it.
        var trainStage1 = new int[train.Count][];
        for (int k = 0; k < folds; k++)
        {
            var inFold = Enumerable.Range(0, train.Count).Where(d => d % folds != k).ToArray();
            var model = TrainModel(inFold.Select(d => trainFeatures[d]).ToArray(), inFold.Select(d => gold[d]).ToArray(),
                stage1.BestEpoch, options.Seed + k + 1, options.MinFeatureCount, null, null, log, $"fold {k + 1}/{folds}");
            var rowOf = new DictionaryLookup(model.Rows);
            for (int d = k; d < train.Count; d += folds)
            {
                trainStage1[d] = new int[train[d].Words.Length];
                NerTagger.Decode(trainFeatures[d], trainStage1[d], rowOf, model.Weights);
            }
        }

        var stage1Rows = new DictionaryLookup(stage1.Rows);
        for (int d = 0; d < dev.Count; d++)
        {
            var labels = new int[dev[d].Words.Length];
            NerTagger.Decode(devFeatures[d], labels, stage1Rows, stage1.Weights);
            devFeatures[d].SetStage1(labels);
        }

        for (int d = 0; d < train.Count; d++)
        {
            trainFeatures[d].SetStage1(trainStage1[d]);
        }

        var stage2 = TrainModel(trainFeatures, gold, options.Epochs, options.Seed, options.MinFeatureCount, devFeatures, dev, log, "stage 2");
        Save(Stage2Path(modelOutputPath), stage2, options.SaveEpsilon, log);
        log.WriteLine($"done in {clock.Elapsed.TotalSeconds:F0} s: stage 1 dev F1 {stage1.BestF1:F4}, stage 2 dev F1 {stage2.BestF1:F4}");
        return stage2.BestF1;
    }

    /// <summary>Where the entity memory of a model is stored.</summary>
    public static string MemoryPath(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(modelPath) ?? "", Path.GetFileNameWithoutExtension(modelPath) + "-memory" + Path.GetExtension(modelPath));

    /// <summary>Where the second stage of a model is stored.</summary>
    public static string Stage2Path(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(modelPath) ?? "", Path.GetFileNameWithoutExtension(modelPath) + "-stage2" + Path.GetExtension(modelPath));

    private sealed record Trained(Dictionary<ulong, int> Rows, float[] Weights, int BestEpoch, double BestF1);

    private static void Save(string path, Trained model, float epsilon, TextWriter log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var file = File.Create(path))
        {
            NerModel.Save(file, model.Rows, model.Weights, epsilon);
        }

        log.WriteLine($"wrote {path}: {new FileInfo(path).Length / 1024.0 / 1024.0:F2} MB");
    }

    private static Trained TrainModel(DocumentFeatures[] trainFeatures, int[][] trainGold, int epochs, int seed, int minCount,
        DocumentFeatures[]? devFeatures, List<ConllDocument>? dev, TextWriter log, string name)
    {
        var clock = Stopwatch.StartNew();

        // Feature index: every feature seen at least minCount times with the gold labels as history.
        var counts = new Dictionary<ulong, int>();
        Span<ulong> buf = stackalloc ulong[DocumentFeatures.MaxStatic + DocumentFeatures.MaxDynamic];
        for (int d = 0; d < trainFeatures.Length; d++)
        {
            var doc = trainFeatures[d];
            var gold = trainGold[d];
            var history = new Dictionary<ulong, int[]>();
            foreach (var sent in doc.Sentences)
            {
                for (int i = sent.First; i < sent.End; i++)
                {
                    int p1 = i > sent.First ? gold[i - 1] : Labels.O;
                    int p2 = i > sent.First + 1 ? gold[i - 2] : Labels.O;
                    int n = doc.Static(i, buf);
                    int[]? hist = null;
                    if (doc.IsCapitalised(i))
                    {
                        history.TryGetValue(doc.NormHash(i), out hist);
                    }

                    n += doc.Dynamic(i, p1, p2, hist, buf[n..]);
                    foreach (ulong f in buf[..n])
                    {
                        counts[f] = counts.GetValueOrDefault(f) + 1;
                    }

                    if (doc.IsCapitalised(i))
                    {
                        NerTagger.Remember(history, doc.NormHash(i), gold[i]);
                    }
                }
            }
        }

        var rows = new Dictionary<ulong, int>();
        foreach (var (f, c) in counts)
        {
            if (c >= minCount)
            {
                rows[f] = rows.Count;
            }
        }

        counts = null;

        // Static features of every training token as row indices.
        var staticRows = new int[trainFeatures.Length][];
        var staticOffsets = new int[trainFeatures.Length][];
        for (int d = 0; d < trainFeatures.Length; d++)
        {
            var doc = trainFeatures[d];
            var list = new List<int>(doc.Words.Length * 40);
            var offsets = new int[doc.Words.Length + 1];
            for (int i = 0; i < doc.Words.Length; i++)
            {
                offsets[i] = list.Count;
                int n = doc.Static(i, buf);
                foreach (ulong f in buf[..n])
                {
                    if (rows.TryGetValue(f, out int r))
                    {
                        list.Add(r);
                    }
                }
            }

            offsets[doc.Words.Length] = list.Count;
            staticRows[d] = [.. list];
            staticOffsets[d] = offsets;
        }

        var first = RunPerceptron(trainFeatures, trainGold, staticRows, staticOffsets, rows, epochs, seed, devFeatures, dev, log, name, clock);
        if (devFeatures is null || dev is null)
        {
            log.WriteLine($"{name}: {rows.Count} features, {epochs} epochs in {clock.Elapsed.TotalSeconds:F0} s");
            return new Trained(rows, first.Weights, epochs, double.NaN);
        }

        // A small ensemble: the average of perceptrons trained on other shuffles, each stopped at the best epoch.
        // Kept only when it does better on the development data.
        const int members = 3;
        var sum = (float[])first.Weights.Clone();
        for (int e = 1; e < members; e++)
        {
            var other = RunPerceptron(trainFeatures, trainGold, staticRows, staticOffsets, rows, first.BestEpoch, seed + (7919 * e), null, null, log, name, clock);
            for (int x = 0; x < sum.Length; x++)
            {
                sum[x] += other.Weights[x];
            }
        }

        for (int x = 0; x < sum.Length; x++)
        {
            sum[x] /= members;
        }

        var (_, _, ensembleF1) = Evaluate(devFeatures, dev, rows, sum);
        log.WriteLine($"{name}: {rows.Count} features, best epoch {first.BestEpoch}, dev F1 {first.BestF1:F4}; ensemble of {members}: dev F1 {ensembleF1:F4} ({clock.Elapsed.TotalSeconds:F0} s)");
        return ensembleF1 > first.BestF1
            ? new Trained(rows, sum, first.BestEpoch, ensembleF1)
            : new Trained(rows, first.Weights, first.BestEpoch, first.BestF1);
    }

    private static (float[] Weights, int BestEpoch, double BestF1) RunPerceptron(DocumentFeatures[] trainFeatures, int[][] trainGold,
        int[][] staticRows, int[][] staticOffsets, Dictionary<ulong, int> rows, int epochs, int seed,
        DocumentFeatures[]? devFeatures, List<ConllDocument>? dev, TextWriter log, string name, Stopwatch clock)
    {
        Span<ulong> buf = stackalloc ulong[DocumentFeatures.MaxStatic + DocumentFeatures.MaxDynamic];
        int L = Labels.Count;
        var weights = new float[rows.Count * L];
        var totals = new float[rows.Count * L]; // sum of step * update, for averaging
        var averaged = new float[rows.Count * L];
        var bestWeights = new float[rows.Count * L];
        double bestF1 = -1;
        int bestEpoch = 0;
        long step = 1;
        var rng = new Random(seed);
        var order = Enumerable.Range(0, trainFeatures.Length).ToArray();
        var rowOf = new DictionaryLookup(rows);
        float[] sentScores = [];
        int[] pred = [];
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            rng.Shuffle(order);
            int errors = 0, tokens = 0;
            foreach (int d in order)
            {
                var doc = trainFeatures[d];
                var gold = trainGold[d];
                var sRows = staticRows[d];
                var sOff = staticOffsets[d];
                var history = new Dictionary<ulong, int[]>();
                foreach (var sent in doc.Sentences)
                {
                    if (sentScores.Length < sent.Count * L)
                    {
                        sentScores = new float[sent.Count * L * 2];
                        pred = new int[sent.Count * 2];
                    }

                    Array.Clear(sentScores, 0, sent.Count * L);
                    for (int i = sent.First; i < sent.End; i++)
                    {
                        var own = sentScores.AsSpan((i - sent.First) * L, L);
                        for (int j = sOff[i]; j < sOff[i + 1]; j++)
                        {
                            BeamSearch.Add(own, weights.AsSpan(sRows[j] * L, L));
                        }
                    }

                    BeamSearch.Decode(doc, sent, sentScores, rowOf, weights, history, pred.AsSpan(0, sent.Count));

                    // Structured perceptron: where the decoded sequence differs from the gold one, the gold sequence's
                    // features gain and the decoded one's lose.
                    int gp1 = Labels.O, gp2 = Labels.O, pp1 = Labels.O, pp2 = Labels.O;
                    for (int i = sent.First; i < sent.End; i++)
                    {
                        int g = gold[i], guess = pred[i - sent.First];
                        if (g != guess)
                        {
                            errors++;
                            for (int j = sOff[i]; j < sOff[i + 1]; j++)
                            {
                                Update(weights, totals, sRows[j] * L, g, guess, step);
                            }
                        }

                        if (g != guess || gp1 != pp1 || gp2 != pp2)
                        {
                            int[]? hist = null;
                            if (doc.IsCapitalised(i))
                            {
                                history.TryGetValue(doc.NormHash(i), out hist);
                            }

                            UpdateDynamic(doc, i, gp1, gp2, hist, rows, weights, totals, g, 1f, step, buf);
                            UpdateDynamic(doc, i, pp1, pp2, hist, rows, weights, totals, guess, -1f, step, buf);
                        }

                        gp2 = gp1;
                        gp1 = g;
                        pp2 = pp1;
                        pp1 = guess;
                        tokens++;
                    }

                    BeamSearch.Remember(doc, sent, pred.AsSpan(0, sent.Count), history);
                    step++;
                }
            }

            for (int x = 0; x < weights.Length; x++)
            {
                averaged[x] = weights[x] - (totals[x] / step);
            }

            if (devFeatures is null || dev is null)
            {
                continue;
            }

            var (p, r2, f1) = Evaluate(devFeatures, dev, rows, averaged);
            log.WriteLine($"{name} epoch {epoch,2}: train errors {errors * 100.0 / tokens:F2}%  dev P {p:F4} R {r2:F4} F1 {f1:F4}  ({clock.Elapsed.TotalSeconds:F0} s)");
            if (f1 > bestF1)
            {
                bestF1 = f1;
                bestEpoch = epoch;
                Array.Copy(averaged, bestWeights, averaged.Length);
            }
        }

        return devFeatures is null ? (averaged, epochs, double.NaN) : (bestWeights, bestEpoch, bestF1);
    }

    private static void UpdateDynamic(DocumentFeatures doc, int i, int prev1, int prev2, int[]? hist, Dictionary<ulong, int> rows,
        float[] weights, float[] totals, int label, float delta, long step, Span<ulong> buf)
    {
        int n = doc.Dynamic(i, prev1, prev2, hist, buf);
        for (int j = 0; j < n; j++)
        {
            if (rows.TryGetValue(buf[j], out int r))
            {
                weights[(r * Labels.Count) + label] += delta;
                totals[(r * Labels.Count) + label] += delta * step;
            }
        }
    }

    private static void Update(float[] weights, float[] totals, int b, int gold, int pred, long step)
    {
        weights[b + gold] += 1f;
        totals[b + gold] += step;
        weights[b + pred] -= 1f;
        totals[b + pred] -= step;
    }

    /// <summary>Entity-level precision, recall and F1 of the tagger on CoNLL documents (token spans, as conlleval).</summary>
    internal static (double P, double R, double F1) Evaluate(DocumentFeatures[] features, List<ConllDocument> docs,
        Dictionary<ulong, int> rows, float[] weights)
    {
        int tp = 0, fp = 0, fn = 0;
        var rowOf = new DictionaryLookup(rows);
        for (int d = 0; d < docs.Count; d++)
        {
            var labels = new int[docs[d].Words.Length];
            NerTagger.Decode(features[d], labels, rowOf, weights);
            foreach (var sent in docs[d].Sentences)
            {
                var gold = Labels.Spans(docs[d].Labels.AsSpan(sent.First, sent.Count)).ToHashSet();
                var pred = Labels.Spans(labels.AsSpan(sent.First, sent.Count)).ToHashSet();
                int both = pred.Count(gold.Contains);
                tp += both;
                fp += pred.Count - both;
                fn += gold.Count - both;
            }
        }

        double p = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
        double r = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
        return (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r));
    }

    /// <summary>The words and sentences of a text, as the tagger sees them.</summary>
    public static (string[] Words, Sentence[] Sentences, List<Token> Tokens) Prepare(string text)
    {
        var tokens = Tokenizer.Tokenize(text);
        var sentences = Tokenizer.SplitSentences(text, tokens);
        var words = new string[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            words[i] = text.Substring(tokens[i].Start, tokens[i].Length);
        }

        return (words, [.. sentences], tokens);
    }
}
