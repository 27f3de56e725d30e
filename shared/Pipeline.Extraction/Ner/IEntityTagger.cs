using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>A named-entity tagger: BILOU labels (see <see cref="Labels"/>) for every word of a document.</summary>
public interface IEntityTagger
{
    /// <summary>The gazetteers the tagger uses, which the mention rules and coreference use too.</summary>
    Lexicon Lexicon { get; }

    int[] Tag(string[] words, Sentence[] sentences);
}
