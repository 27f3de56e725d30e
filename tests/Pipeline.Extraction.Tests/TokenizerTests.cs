using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Tests;

public sealed class TokenizerTests
{
    private static string[] Words(string text) =>
        Tokenizer.Tokenize(text).Select(t => text[t.Start..t.End]).ToArray();

    [Fact]
    public void Splits_punctuation_and_possessives_but_keeps_abbreviations_and_hyphens()
    {
        Assert.Equal(
            ["Hanoi", "(", "VNA", ")", "–", "Russia", "’s", "U.S.", "envoy", ",", "Mr.", "Vnukov", ",", "said", "good-bye", "."],
            Words("Hanoi (VNA) – Russia’s U.S. envoy, Mr. Vnukov, said good-bye."));
        Assert.Equal(["in", "his", "new", "position", ".", "/", "."], Words("in his new position./."));
        Assert.Equal(["V.", "Putin", "and", "D.", "Medvedev"], Words("V. Putin and D. Medvedev"));
        Assert.Equal(["\"", "We", "do", "n't", "know", "\"", "he", "said"], Words("\"We don't know\" he said"));
    }

    [Fact]
    public void Conll_text_keeps_its_tokens()
    {
        const string line = "BRUSSELS 1996-08-22 The European Commission said on Thursday it disagreed with German advice , U.S. 's 1,000 .";
        Assert.Equal(line.Split(' '), Words(line));
    }

    [Fact]
    public void Sentences_end_at_line_breaks_and_at_final_punctuation_before_a_capital()
    {
        const string text = "He came. She left at 5 p.m. today.\nNew line here";
        var tokens = Tokenizer.Tokenize(text);
        var sentences = Tokenizer.SplitSentences(text, tokens);
        Assert.Equal(3, sentences.Count);
        Assert.Equal("He", text[tokens[sentences[0].First].Start..tokens[sentences[0].First].End]);
        Assert.Equal("New", text[tokens[sentences[2].First].Start..tokens[sentences[2].First].End]);
    }

    [Fact]
    public void A_line_without_sentence_breaks_is_cut_into_bounded_pieces_outside_names()
    {
        var text = string.Join(' ', Enumerable.Range(0, 5000).Select(i => i % 7 == 0 ? "Anna Maria Keller" : "word"));
        var tokens = Tokenizer.Tokenize(text);

        var sentences = Tokenizer.SplitSentences(text, tokens);

        Assert.True(sentences.Count >= 5, $"{sentences.Count} sentences");
        Assert.Equal(tokens.Count, sentences.Sum(s => s.Count));
        Assert.All(sentences, s => Assert.InRange(s.Count, 1, Tokenizer.MaxSentenceTokens + 100));
        Assert.All(sentences.Skip(1), s => Assert.Equal("word", text[tokens[s.First].Start..tokens[s.First].End]));
    }

    [Fact]
    public void Offsets_cover_the_text_exactly()
    {
        const string text = "  Việt Nam’s GDP grew 7% (GSO).  ";
        foreach (var t in Tokenizer.Tokenize(text))
        {
            Assert.False(string.IsNullOrWhiteSpace(text[t.Start..t.End]));
            Assert.DoesNotContain(' ', text[t.Start..t.End]);
        }
    }
}
