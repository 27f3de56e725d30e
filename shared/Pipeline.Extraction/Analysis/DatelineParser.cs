using System.Text.RegularExpressions;
using Pipeline.Contracts;

namespace Pipeline.Extraction.Analysis;

/// <summary>Finds a wire-story lead such as "date 2020-12-03 Hanoi (VNA) –" or "WASHINGTON, Dec 3 (Reuters) -".</summary>
internal static partial class DatelineParser
{
    /// <summary>Every pattern gives up after this long (a hostile input must not hang the stage).</summary>
    private const int MatchTimeoutMs = 1000;

    [GeneratedRegex(@"\A\s*(?:date\s+(?<marker>\d{4}-\d{2}-\d{2})(?:[T ][\d:.+Z-]*)?\s+)?", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex Marker();

    [GeneratedRegex(@"\G(?<place>\p{Lu}[\p{L}'’.\-]*(?:[ ]\p{Lu}[\p{L}'’.\-]*){0,3})(?:\s*,\s*(?<date>[\p{L}.]+\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+\p{L}+\.?(?:\s+\d{4})?))?\s*\((?<agency>[\p{L}][\p{L}\d&.\- ]{0,30}?)\)\s*(?<dash>[–—-]{1,2}|:)\s*", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex WithAgency();

    [GeneratedRegex(@"\G(?<place>\p{Lu}[\p{Lu}'’.\-]+(?:[ ]\p{Lu}[\p{Lu}'’.\-]+){0,3})(?:\s*,\s*(?<date>[\p{L}.]+\s+\d{1,2}(?:,?\s+\d{4})?))?\s*(?<dash>[–—]|--?)\s+", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex CapsPlace();

    public static (Dateline? Dateline, string? MarkerDate) Parse(string text, DateOnly? reference)
    {
        var marker = Marker().Match(text);
        string? markerDate = marker.Groups["marker"].Success ? marker.Groups["marker"].Value : null;
        int at = marker.Length;
        var m = WithAgency().Match(text, at);
        if (!m.Success)
        {
            m = CapsPlace().Match(text, at);
        }

        int start = 0;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        if (!m.Success)
        {
            if (markerDate is null)
            {
                return (null, null);
            }

            var d0 = Dates.ParseIso(markerDate);
            return (new Dateline(d0 is { } x0 ? Dates.Iso(x0) : null, null, null, start, marker.Length), markerDate);
        }

        // A dateline that names no date ("Hanoi (VNA) –") was filed on the day the story was published.
        DateOnly? date = Dates.ParseIso(markerDate) ?? reference;
        if (m.Groups["date"].Success)
        {
            date = Dates.ParseMonthDay(m.Groups["date"].Value, date ?? reference) ?? date;
        }

        string place = m.Groups["place"].Value.TrimEnd('.', ' ');
        string? agency = m.Groups["agency"].Success ? m.Groups["agency"].Value.Trim() : null;
        int end = m.Index + m.Length;
        while (end > m.Index && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return (new Dateline(date is { } d ? Dates.Iso(d) : null, place, agency, start, end), markerDate);
    }
}
