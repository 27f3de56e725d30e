using Pipeline.Extraction.Text;

namespace Pipeline.Extraction.Ner;

/// <summary>A CoNLL-2003 document: words, sentences and BILOU labels.</summary>
public sealed record ConllDocument(string[] Words, Sentence[] Sentences, int[] Labels);

public static class Conll
{
    /// <summary>Reads a CoNLL-2003 file (token POS chunk NER per line, blank line between sentences, -DOCSTART- between documents).</summary>
    public static List<ConllDocument> Read(string path)
    {
        var docs = new List<ConllDocument>();
        var words = new List<string>();
        var labels = new List<int>();
        var sentences = new List<Sentence>();
        var sentWords = new List<string>();
        var sentTags = new List<string>();

        void EndSentence()
        {
            if (sentWords.Count == 0)
            {
                return;
            }

            sentences.Add(new Sentence(words.Count, sentWords.Count));
            words.AddRange(sentWords);
            labels.AddRange(Ner.Labels.FromIob(sentTags));
            sentWords.Clear();
            sentTags.Clear();
        }

        void EndDocument()
        {
            EndSentence();
            if (words.Count > 0)
            {
                docs.Add(new ConllDocument([.. words], [.. sentences], [.. labels]));
            }

            words.Clear();
            labels.Clear();
            sentences.Clear();
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                EndSentence();
                continue;
            }

            if (parts[0] == "-DOCSTART-")
            {
                EndDocument();
                continue;
            }

            sentWords.Add(parts[0]);
            sentTags.Add(parts[^1]);
        }

        EndDocument();
        return docs;
    }
}
