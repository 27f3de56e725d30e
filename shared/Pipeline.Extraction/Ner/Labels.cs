using Pipeline.Contracts;

namespace Pipeline.Extraction.Ner;

/// <summary>BILOU labels over the four CoNLL classes: 0 is O, then B, I, L, U for PER, ORG, LOC, MISC.</summary>
public static class Labels
{
    public const int Count = 17;
    public const int O = 0;

    public static readonly string[] Classes = ["PER", "ORG", "LOC", "MISC"];

    public static int ClassOf(int label) => label == O ? -1 : (label - 1) / 4;

    /// <summary>0 B, 1 I, 2 L, 3 U.</summary>
    public static int PartOf(int label) => label == O ? -1 : (label - 1) % 4;

    public static int Make(int cls, int part) => 1 + (cls * 4) + part;

    public static int ClassIndex(string cls) => Array.IndexOf(Classes, cls);

    public static string EntityType(int cls) => cls switch
    {
        0 => EntityTypes.Person,
        1 => EntityTypes.Organization,
        2 => EntityTypes.Location,
        _ => EntityTypes.Misc,
    };

    public static string Name(int label) => label == O ? "O" : "BILU"[PartOf(label)] + "-" + Classes[ClassOf(label)];

    /// <summary>Whether a label may follow another (O or a closed span before B/U/O; B or I before I/L of one class).</summary>
    public static bool Allowed(int prev, int cur)
    {
        int pp = PartOf(prev);
        bool open = pp is 0 or 1;
        int cp = PartOf(cur);
        if (open)
        {
            return cp is 1 or 2 && ClassOf(cur) == ClassOf(prev);
        }

        return cur == O || cp is 0 or 3;
    }

    /// <summary>Converts per-token IOB1/IOB2 class tags ("I-PER", "B-LOC", "O") of one sentence to BILOU labels.</summary>
    public static int[] FromIob(IReadOnlyList<string> tags)
    {
        var result = new int[tags.Count];
        int i = 0;
        while (i < tags.Count)
        {
            string tag = tags[i];
            if (tag.Length < 3)
            {
                result[i++] = O;
                continue;
            }

            string cls = tag[2..];
            int c = ClassIndex(cls);
            int j = i + 1;
            while (j < tags.Count && tags[j].Length > 2 && tags[j][2..] == cls && !tags[j].StartsWith("B-", StringComparison.Ordinal))
            {
                j++;
            }

            if (c < 0)
            {
                for (int k = i; k < j; k++)
                {
                    result[k] = O;
                }
            }
            else if (j - i == 1)
            {
                result[i] = Make(c, 3);
            }
            else
            {
                result[i] = Make(c, 0);
                for (int k = i + 1; k < j - 1; k++)
                {
                    result[k] = Make(c, 1);
                }

                result[j - 1] = Make(c, 2);
            }

            i = j;
        }

        return result;
    }

    /// <summary>Spans (first token, last token inclusive, class) from a BILOU label sequence; tolerant of broken runs.</summary>
    public static List<(int First, int Last, int Cls)> Spans(ReadOnlySpan<int> labels)
    {
        var spans = new List<(int, int, int)>();
        int i = 0;
        while (i < labels.Length)
        {
            int l = labels[i];
            if (l == O)
            {
                i++;
                continue;
            }

            int c = ClassOf(l);
            int p = PartOf(l);
            int j = i;
            if (p is 0 or 1)
            {
                while (j + 1 < labels.Length && ClassOf(labels[j + 1]) == c && PartOf(labels[j + 1]) is 1 or 2)
                {
                    j++;
                    if (PartOf(labels[j]) == 2)
                    {
                        break;
                    }
                }
            }

            spans.Add((i, j, c));
            i = j + 1;
        }

        return spans;
    }
}
