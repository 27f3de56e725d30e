using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipeline.Cleaning.Html;

/// <summary>
/// Marked-up text that a script-rendered page carries in its data rather than its DOM: JSON string values, in scripts or
/// HTML-escaped in attributes (state blobs, props of a component), whose decoded value holds paragraph markup.
/// </summary>
internal static partial class ScriptData
{
    /// <summary>Shortest string value taken for text (shorter ones are labels, ids and links).</summary>
    private const int MinValueChars = 100;

    [GeneratedRegex(@"<script\b[^>]*>(.*?)</script", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptBody();

    [GeneratedRegex(@"=\s*""([^""]*&quot;[^""]*)""")]
    private static partial Regex EscapedAttribute();

    [GeneratedRegex(@"""((?:[^""\\]|\\.){100,})""", RegexOptions.Singleline)]
    private static partial Regex JsonString();

    [GeneratedRegex(@"<(?:p|br)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ParagraphMarkup();

    /// <summary>The HTML fragments in the page's script data, in page order, each once.</summary>
    public static List<string> Fragments(string html)
    {
        var fragments = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match script in ScriptBody().Matches(html))
        {
            AddFragments(script.Groups[1].Value, fragments, seen);
        }

        foreach (Match attribute in EscapedAttribute().Matches(html))
        {
            AddFragments(WebUtility.HtmlDecode(attribute.Groups[1].Value), fragments, seen);
        }

        return fragments;
    }

    private static void AddFragments(string data, List<string> fragments, HashSet<string> seen)
    {
        foreach (Match literal in JsonString().Matches(data))
        {
            string? value;
            try
            {
                value = JsonSerializer.Deserialize<string>(literal.Value);
            }
            catch (JsonException)
            {
                continue;
            }

            if (value is null || value.Length < MinValueChars)
            {
                continue;
            }

            if (value.Contains("&lt;", StringComparison.Ordinal))
            {
                value = WebUtility.HtmlDecode(value); // markup escaped once more inside the string
            }

            if (ParagraphMarkup().IsMatch(value) && seen.Add(value))
            {
                fragments.Add(value);
            }
        }
    }
}
