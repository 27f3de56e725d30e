using Pipeline.Contracts;
using Pipeline.Extraction.Ner;

namespace Pipeline.Extraction.Tests;

public sealed class NeuralTaggerTests
{
    [Fact]
    public void Viterbi_keeps_to_bilou_where_the_best_label_of_each_word_would_break_it()
    {
        // Word by word the best labels are B-PER O O, which BILOU forbids (a B must be closed); of the allowed
        // paths B-PER L-PER O scores 2 + 1 + 1, U-PER O O scores 1.5 + 1.2 + 1.
        int bPer = Labels.Make(0, 0), lPer = Labels.Make(0, 2), uPer = Labels.Make(0, 3);
        var emissions = new float[3 * Labels.Count];
        emissions[bPer] = 2f;
        emissions[uPer] = 1.5f;
        emissions[Labels.Count + lPer] = 1f;
        emissions[Labels.Count + Labels.O] = 1.2f;
        emissions[(2 * Labels.Count) + Labels.O] = 1f;
        var crf = new Crf(Crf.TransitionConstraint(), Crf.BoundaryConstraint(atEnd: false), Crf.BoundaryConstraint(atEnd: true));

        var labels = new int[3];
        crf.Viterbi(emissions, labels);

        Assert.Equal([bPer, lPer, Labels.O], labels);
    }

    [Fact]
    public void Viterbi_follows_learnt_transitions_over_emissions()
    {
        // Two words both a little more LOC than ORG alone, but ORG after U-ORG is worth a lot more than LOC after U-LOC.
        int uOrg = Labels.Make(1, 3), uLoc = Labels.Make(2, 3);
        var transitions = Crf.TransitionConstraint();
        transitions[(uOrg * Labels.Count) + uOrg] = 1f;
        var emissions = new float[2 * Labels.Count];
        emissions[uLoc] = emissions[Labels.Count + uLoc] = 0.6f;
        emissions[uOrg] = emissions[Labels.Count + uOrg] = 0.5f;
        var crf = new Crf(transitions, new float[Labels.Count], new float[Labels.Count]);

        var labels = new int[2];
        crf.Viterbi(emissions, labels);

        Assert.Equal([uOrg, uOrg], labels);
    }

    [Fact]
    public void Lstm_steps_match_a_hand_computed_cell()
    {
        // One input, one hidden unit, only the cell candidate weighted (g = tanh(x)); i, f and o are sigmoid(0) = 0.5.
        var weights = new LstmWeights([0f, 0f, 1f, 0f], [0f, 0f, 0f, 0f], [0f, 0f, 0f, 0f]);
        float[] x = [1f, 2f];
        var states = new float[2 * 2];

        Lstm.Run(weights, x, input: 1, hidden: 1, states, column: 0, reverse: false);
        Lstm.Run(weights, x, input: 1, hidden: 1, states, column: 1, reverse: true);

        float c1 = 0.5f * MathF.Tanh(1f), c2 = (0.5f * c1) + (0.5f * MathF.Tanh(2f));
        Assert.Equal(0.5f * MathF.Tanh(c1), states[0], 5);
        Assert.Equal(0.5f * MathF.Tanh(c2), states[2], 5);
        // Backwards the second word comes first.
        float b2 = 0.5f * MathF.Tanh(2f), b1 = (0.5f * b2) + (0.5f * MathF.Tanh(1f));
        Assert.Equal(0.5f * MathF.Tanh(b2), states[3], 5);
        Assert.Equal(0.5f * MathF.Tanh(b1), states[1], 5);
    }

    [Fact]
    public void The_accurate_model_loads_from_the_assembly_and_finds_a_person_an_organisation_and_a_place()
    {
        var extractor = EntityExtractor.Create(ExtractionModel.Accurate);
        Assert.IsType<NeuralTagger>(extractor.EntityTagger);

        var mentions = extractor.Extract("Maria Castellano, the chief executive of Norvella Shipping, said on Monday that the company would open an office in Rotterdam.").Entities;

        Assert.Contains(mentions, m => m.Type == EntityTypes.Person && m.Text == "Maria Castellano");
        Assert.Contains(mentions, m => m.Type == EntityTypes.Organization && m.Text == "Norvella Shipping");
        Assert.Contains(mentions, m => m.Type == EntityTypes.Location && m.Text == "Rotterdam");
    }

    [Fact]
    public void An_overwhelming_vote_of_the_fast_tagger_gives_its_labels()
    {
        var fast = EntityExtractor.CreateDefault().Tagger;
        var neural = (NeuralTagger)EntityExtractor.Create(ExtractionModel.Accurate).EntityTagger;
        var outvoted = new NeuralTagger(neural.Model, fast.Lexicon, fast.Memory, fast, perceptronVote: 1000f);
        var (words, sentences, _) = NerTrainer.Prepare("Maria Castellano of Norvella Shipping flew from Rotterdam to New York on Monday.");

        Assert.Equal(fast.Tag(words, sentences), outvoted.Tag(words, sentences));
    }

    [Fact]
    public void The_fast_model_stays_the_default()
    {
        Assert.IsType<NerTagger>(EntityExtractor.CreateDefault().EntityTagger);
        Assert.IsType<NerTagger>(EntityExtractor.Create(ExtractionModel.Fast).EntityTagger);
    }

    [Theory]
    [InlineData(null, ExtractionModel.Fast)]
    [InlineData("", ExtractionModel.Fast)]
    [InlineData("fast", ExtractionModel.Fast)]
    [InlineData("Accurate", ExtractionModel.Accurate)]
    [InlineData(" accurate ", ExtractionModel.Accurate)]
    public void The_model_setting_names_a_model(string? value, ExtractionModel expected) =>
        Assert.Equal(expected, ExtractionOptions.ParseModel(value, "Extraction:Model"));

    [Fact]
    public void A_wrong_model_setting_is_refused_naming_the_choices()
    {
        Assert.False(ExtractionOptions.TryParseModel("neural", out _));
        var error = Assert.Throws<ArgumentException>(() => ExtractionOptions.ParseModel("neural", "Extraction:Model"));
        Assert.Contains("Extraction:Model must be 'fast' or 'accurate', not 'neural'", error.Message, StringComparison.Ordinal);
    }
}
