using Pipeline.Extraction.Ner;

namespace Pipeline.Extraction.Tests;

public sealed class NerTests
{
    [Fact]
    public void Iob1_tags_become_bilou_labels()
    {
        string[] tags = ["I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG", "I-ORG", "I-ORG", "I-MISC"];
        var labels = Labels.FromIob(tags);
        Assert.Equal(["B-PER", "L-PER", "O", "U-LOC", "U-LOC", "B-ORG", "I-ORG", "L-ORG", "U-MISC"], labels.Select(Labels.Name));
        Assert.Equal([(0, 1, 0), (3, 3, 2), (4, 4, 2), (5, 7, 1), (8, 8, 3)], Labels.Spans(labels));
    }

    [Fact]
    public void Only_well_formed_transitions_are_allowed()
    {
        int bPer = Labels.Make(0, 0), iPer = Labels.Make(0, 1), lPer = Labels.Make(0, 2), uLoc = Labels.Make(2, 3);
        Assert.True(Labels.Allowed(Labels.O, bPer));
        Assert.False(Labels.Allowed(Labels.O, iPer));
        Assert.True(Labels.Allowed(bPer, lPer));
        Assert.False(Labels.Allowed(bPer, uLoc));
        Assert.False(Labels.Allowed(iPer, Labels.O));
    }

    [Fact]
    public void Training_is_reproducible_and_learns()
    {
        string root = DataRoot();
        string dir = Directory.CreateTempSubdirectory("ner-train").FullName;
        try
        {
            // A small slice of the training data: the first 40 documents for training, the next 10 as development.
            var lines = File.ReadAllLines(Path.Combine(root, "eng.train"));
            var starts = lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("-DOCSTART-", StringComparison.Ordinal)).Select(x => x.i).ToList();
            File.WriteAllLines(Path.Combine(dir, "train"), lines[..starts[40]]);
            File.WriteAllLines(Path.Combine(dir, "dev"), lines[starts[40]..starts[50]]);
            var options = new NerTrainingOptions(Epochs: 3, Seed: 7);
            double f1a = NerTrainer.Train(Path.Combine(dir, "train"), Path.Combine(dir, "dev"), Path.Combine(dir, "a.model"), 7, options: options);
            double f1b = NerTrainer.Train(Path.Combine(dir, "train"), Path.Combine(dir, "dev"), Path.Combine(dir, "b.model"), 7, options: options);
            Assert.Equal(f1a, f1b);
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a.model")), File.ReadAllBytes(Path.Combine(dir, "b.model")));
            Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a-stage2.model")), File.ReadAllBytes(Path.Combine(dir, "b-stage2.model")));
            Assert.InRange(f1a, 0.5, 1.0);

            var extractor = EntityExtractor.FromModelFile(Path.Combine(dir, "a.model"));
            Assert.NotNull(extractor.Tagger.Stage2);
            Assert.NotNull(extractor.Extract("Germany and France met in Brussels on Monday."));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string DataRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "..", "shared", "data", "conll2003")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        Assert.NotNull(dir);
        return Path.Combine(dir, "..", "shared", "data", "conll2003");
    }
}
