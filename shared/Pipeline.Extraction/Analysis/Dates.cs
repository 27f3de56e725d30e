using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Extraction.Analysis;

/// <summary>A date expression found in the text, resolved against the story's date when it lacks a year.</summary>
/// <param name="Date">ISO date (yyyy-MM-dd), or null when it cannot be resolved.</param>
public sealed record ResolvedDate(string Text, int Start, int End, string? Date);

internal static partial class Dates
{
    /// <summary>Every pattern gives up after this long (a hostile input must not hang the stage).</summary>
    private const int MatchTimeoutMs = 1000;

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private const string Month =
        @"(?<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|Jun\.|July|Jul\.|Aug(?:ust|\.)?|Sep(?:tember|t\.|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)";

    [GeneratedRegex(@"\b" + Month + @"\s+(?<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?<year>(?:19|20)\d\d)\b)?", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex MonthDay();

    [GeneratedRegex(@"\b(?<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + Month + @"(?:,?\s+(?<year>(?:19|20)\d\d)\b)?", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"\b(?<year>(?:19|20)\d\d)-(?<m>[01]\d)-(?<d>[0-3]\d)\b", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex Iso();

    [GeneratedRegex(@"\b(?:(?<rel>last|next|this)\s+)?(?<dow>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b(?<word>yesterday|today|tomorrow)\b", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex Relative();

    /// <summary>Parses an ISO date (or the date part of an ISO date-time).</summary>
    public static DateOnly? ParseIso(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var s = value.Trim();
        if (s.Length >= 10 && DateOnly.TryParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return d;
        }

        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto)
            ? DateOnly.FromDateTime(dto.UtcDateTime)
            : null;
    }

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static int MonthOf(string name)
    {
        var n = name.TrimEnd('.').ToLowerInvariant();
        for (int i = 0; i < MonthNames.Length; i++)
        {
            if (MonthNames[i].StartsWith(n, StringComparison.Ordinal) && n.Length >= 3)
            {
                return i + 1;
            }
        }

        return 0;
    }

    /// <summary>A month-day(-year) expression at the start of <paramref name="text"/>; the year defaults to the reference's.</summary>
    public static DateOnly? ParseMonthDay(string text, DateOnly? reference)
    {
        var m = MonthDay().Match(text);
        if (!m.Success)
        {
            m = DayMonth().Match(text);
        }

        return m.Success ? Resolve(m, reference) : null;
    }

    /// <summary>Every date expression in the text, resolved against <paramref name="reference"/> (the story's date).</summary>
    public static List<ResolvedDate> Find(string text, DateOnly? reference)
    {
        var found = new List<ResolvedDate>();
        var taken = new List<(int, int)>();
        bool Free(int s, int e) => !taken.Any(t => s < t.Item2 && t.Item1 < e);
        void Add(Match m, DateOnly? d)
        {
            if (Free(m.Index, m.Index + m.Length))
            {
                taken.Add((m.Index, m.Index + m.Length));
                found.Add(new ResolvedDate(m.Value, m.Index, m.Index + m.Length, d is { } x ? Iso(x) : null));
            }
        }

        foreach (Match m in Iso().Matches(text))
        {
            if (int.TryParse(m.Groups["m"].Value, CultureInfo.InvariantCulture, out int mo) && mo is >= 1 and <= 12 &&
                int.TryParse(m.Groups["d"].Value, CultureInfo.InvariantCulture, out int dd) && dd >= 1 &&
                dd <= DateTime.DaysInMonth(int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture), mo))
            {
                Add(m, new DateOnly(int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture), mo, dd));
            }
        }

        foreach (Match m in MonthDay().Matches(text))
        {
            Add(m, Resolve(m, reference));
        }

        foreach (Match m in DayMonth().Matches(text))
        {
            Add(m, Resolve(m, reference));
        }

        foreach (Match m in Relative().Matches(text))
        {
            Add(m, ResolveRelative(m, reference));
        }

        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        return found;
    }

    private static DateOnly? Resolve(Match m, DateOnly? reference)
    {
        int month = MonthOf(m.Groups["month"].Value);
        if (month == 0 || !int.TryParse(m.Groups["day"].Value, CultureInfo.InvariantCulture, out int day) || day < 1)
        {
            return null;
        }

        int year;
        if (m.Groups["year"].Success)
        {
            year = int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture);
        }
        else if (reference is { } r)
        {
            year = r.Year;
        }
        else
        {
            return null;
        }

        return day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    private static DateOnly? ResolveRelative(Match m, DateOnly? reference)
    {
        if (reference is not { } r)
        {
            return null;
        }

        if (m.Groups["word"].Success)
        {
            return m.Groups["word"].Value.ToLowerInvariant() switch
            {
                "yesterday" => Shift(r, -1),
                "tomorrow" => Shift(r, 1),
                _ => r,
            };
        }

        var dow = Enum.Parse<DayOfWeek>(m.Groups["dow"].Value, ignoreCase: true);
        string rel = m.Groups["rel"].Value.ToLowerInvariant();
        int back = ((int)r.DayOfWeek - (int)dow + 7) % 7;
        return rel switch
        {
            "next" => Shift(r, ((int)dow - (int)r.DayOfWeek + 7) % 7 is 0 ? 7 : ((int)dow - (int)r.DayOfWeek + 7) % 7),
            "last" => Shift(r, back == 0 ? -7 : -back),
            _ => Shift(r, -back), // news: "on Monday" is the latest Monday on or before the story's date
        };
    }

    /// <summary>The date <paramref name="days"/> away, or null past the calendar's ends (a page may claim 0001-01-01).</summary>
    private static DateOnly? Shift(DateOnly date, int days) =>
        date.DayNumber + days is var day && day >= DateOnly.MinValue.DayNumber && day <= DateOnly.MaxValue.DayNumber
            ? DateOnly.FromDayNumber(day)
            : null;
}
