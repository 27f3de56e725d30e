using System.Text;

namespace Pipeline.Storage;

/// <summary>
/// Turns user text into a safe SQLite FTS5 query with the meaning PostgreSQL's <c>websearch_to_tsquery</c>
/// gives it: words are AND-ed, "quoted text" is a phrase, <c>or</c> separates alternatives, <c>-word</c>
/// excludes. Every term goes into the query as a double-quoted FTS5 string, so no user character is ever
/// read as FTS5 syntax (<c>*</c>, <c>:</c>, <c>^</c>, parentheses, NEAR, column filters).
/// </summary>
public static class Fts5Query
{
    /// <summary>The FTS5 MATCH expression, or null when the text has no word to search for.</summary>
    public static string? Build(string? userText)
    {
        if (string.IsNullOrWhiteSpace(userText))
        {
            return null;
        }

        var groups = new List<List<string>> { new() };
        var excluded = new List<string>();
        var i = 0;
        while (i < userText.Length)
        {
            var c = userText[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var negated = false;
            if (c == '-' && i + 1 < userText.Length && !char.IsWhiteSpace(userText[i + 1]))
            {
                negated = true;
                i++;
                c = userText[i];
            }

            string term;
            var quoted = c == '"';
            if (quoted)
            {
                var end = userText.IndexOf('"', i + 1);
                if (end < 0)
                {
                    end = userText.Length;
                }

                term = userText[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < userText.Length && !char.IsWhiteSpace(userText[i]) && userText[i] != '"')
                {
                    i++;
                }

                term = userText[start..i];
                if (!negated && term.Equals("or", StringComparison.OrdinalIgnoreCase))
                {
                    if (groups[^1].Count > 0)
                    {
                        groups.Add([]);
                    }

                    continue;
                }
            }

            if (!HasWord(term))
            {
                continue;
            }

            var literal = Quote(term);
            if (negated)
            {
                excluded.Add(literal);
            }
            else
            {
                groups[^1].Add(literal);
            }
        }

        var alternatives = groups.Where(g => g.Count > 0).Select(g => "(" + string.Join(" AND ", g) + ")").ToList();
        if (alternatives.Count == 0)
        {
            return null; // Only exclusions or no words: nothing to rank by.
        }

        var query = new StringBuilder();
        query.Append('(').AppendJoin(" OR ", alternatives).Append(')');
        foreach (var literal in excluded)
        {
            query.Append(" NOT ").Append(literal);
        }

        return query.ToString();
    }

    private static bool HasWord(string term) => term.Any(char.IsLetterOrDigit);

    private static string Quote(string term)
    {
        // Inside an FTS5 string only the double quote is special, and it is escaped by doubling. Control
        // characters are dropped: the tokenizer ignores them anyway.
        var quoted = new StringBuilder(term.Length + 2).Append('"');
        foreach (var c in term)
        {
            if (c == '"')
            {
                quoted.Append("\"\"");
            }
            else if (!char.IsControl(c))
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('"').ToString();
    }
}
