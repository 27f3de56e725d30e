using System.Globalization;

namespace Pipeline.Cleaning.Text;

/// <summary>Reads authors and a publication date from byline and date lines of scraped text.</summary>
internal static class BylineReader
{
    private static readonly string[] MonthNames =
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ];

    /// <summary>Most words before "by" in a byline ("Posted by", "Story and photos by").</summary>
    private const int MaxWordsBeforeBy = 2;

    /// <summary>Most words after "by" in a byline; more is a sentence that says "by".</summary>
    private const int MaxWordsAfterBy = 12;

    /// <summary>Most words of one author's name ("Maria de la Cruz"); more is a title or a phrase.</summary>
    private const int MaxNameWords = 4;

    /// <summary>Years read as a publication date lie between these (exclusive): others are numbers, not years.</summary>
    private const int MinYear = 1900;

    private const int MaxYear = 2100;

    /// <summary>Length of a month's abbreviation ("nov", "sept"); shorter tokens are never a month.</summary>
    private const int MinMonthChars = 3;

    private const int MaxMonthAbbreviationChars = 4;

    /// <summary>"By Jane Doe and John Roe" / "Posted by Jane Doe on ..." → the names.</summary>
    public static List<string> Authors(string line)
    {
        var result = new List<string>();
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var by = Array.FindIndex(words, w => w.Equals("by", StringComparison.OrdinalIgnoreCase) || w.Equals("By:", StringComparison.Ordinal));
        if (by < 0 || by > MaxWordsBeforeBy || words.Length - by > MaxWordsAfterBy)
        {
            return result;
        }

        var current = new List<string>();
        for (var i = by + 1; i < words.Length; i++)
        {
            var w = words[i].Trim(',', '|', ';', '·', '•');
            var stop = w.Length == 0 || !char.IsUpper(w[0]) || w.Equals("on", StringComparison.OrdinalIgnoreCase)
                || MonthOf(w.TrimEnd('.').ToLowerInvariant()) > 0
                || w.ToLowerInvariant() is "updated" or "posted" or "published" or "last" or "photo" or "photos" or "editor" or "staff";
            if (w is "and" or "&" || words[i].EndsWith(',') || stop)
            {
                if (w.Length > 0 && char.IsUpper(w[0]) && !stop)
                {
                    current.Add(w);
                }

                if (current.Count is >= 1 and <= MaxNameWords)
                {
                    result.Add(string.Join(' ', current));
                }

                current.Clear();
                if (stop && w is not ("and" or "&"))
                {
                    break;
                }

                continue;
            }

            current.Add(w);
        }

        if (current.Count is >= 1 and <= MaxNameWords)
        {
            result.Add(string.Join(' ', current));
        }

        return result;
    }

    /// <summary>An ISO date (yyyy-MM-dd) written in the line: ISO, "November 19, 2019", "19 Nov 2019".</summary>
    public static string? Date(string line)
    {
        var tokens = TextTools.Key(line).Split(' ');
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if (t.Length == 4 && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is > MinYear and < MaxYear
                && i + 2 < tokens.Length && int.TryParse(tokens[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var mm)
                && int.TryParse(tokens[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var dd))
            {
                if (Make(year, mm, dd) is { } iso)
                {
                    return iso;
                }
            }

            var month = MonthOf(t);
            if (month == 0)
            {
                continue;
            }

            // Month day year
            if (i + 2 < tokens.Length && Day(tokens[i + 1]) is { } d1 && Year(tokens[i + 2]) is { } y1 && Make(y1, month, d1) is { } a)
            {
                return a;
            }

            // day Month year
            if (i > 0 && i + 1 < tokens.Length && Day(tokens[i - 1]) is { } d2 && Year(tokens[i + 1]) is { } y2 && Make(y2, month, d2) is { } b)
            {
                return b;
            }
        }

        return null;
    }

    private static int MonthOf(string token)
    {
        if (token.Length < MinMonthChars)
        {
            return 0;
        }

        for (var m = 0; m < MonthNames.Length; m++)
        {
            if (MonthNames[m] == token || (token.Length is >= MinMonthChars and <= MaxMonthAbbreviationChars && MonthNames[m].StartsWith(token, StringComparison.Ordinal)))
            {
                return m + 1;
            }
        }

        return 0;
    }

    private static int? Day(string token)
    {
        var digits = token.TrimEnd('s', 't', 'n', 'd', 'r', 'h');
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 31 ? d : null;
    }

    private static int? Year(string token) =>
        token.Length == 4 && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is > MinYear and < MaxYear ? y : null;

    private static string? Make(int year, int month, int day)
    {
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        return new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
