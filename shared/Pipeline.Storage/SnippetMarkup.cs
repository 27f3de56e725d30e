using System.Text;

namespace Pipeline.Storage;

/// <summary>
/// The database highlights matches with two control characters that cannot be confused with text; this turns
/// its output into an HTML-escaped fragment with <c>&lt;mark&gt;</c> tags.
/// </summary>
internal static class SnippetMarkup
{
    public const string Open = "\u0002";
    public const string Close = "\u0003";
    public const string Ellipsis = "…";

    /// <summary>
    /// Snippets come from the start of a text up to this many characters: finding and scoring every match of a common
    /// word in a text of megabytes took minutes, and a match this far in says little as a snippet anyway.
    /// </summary>
    public const int Window = 20_000;

    public static bool HasMatch(string? raw) => raw is not null && raw.Contains(Open, StringComparison.Ordinal);

    public static string ToHtml(string raw)
    {
        var html = new StringBuilder(raw.Length + 32);
        var open = false;
        foreach (var c in raw)
        {
            switch (c)
            {
                case '\u0002':
                    if (!open)
                    {
                        html.Append("<mark>");
                        open = true;
                    }

                    break;
                case '\u0003':
                    if (open)
                    {
                        html.Append("</mark>");
                        open = false;
                    }

                    break;
                case '&': html.Append("&amp;"); break;
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '"': html.Append("&quot;"); break;
                case '\'': html.Append("&#39;"); break;
                case '\r' or '\n': html.Append(' '); break;
                default:
                    if (!char.IsControl(c) || c == '\t')
                    {
                        html.Append(c);
                    }

                    break;
            }
        }

        if (open)
        {
            html.Append("</mark>");
        }

        return html.ToString().Trim();
    }

    /// <summary>The body's snippet when it has a match, else the title's, else the start of the body.</summary>
    public static string Choose(string? bodySnippet, string? titleSnippet, string? bodyStart) =>
        HasMatch(bodySnippet) ? ToHtml(bodySnippet!)
        : HasMatch(titleSnippet) ? ToHtml(titleSnippet!)
        : bodySnippet is not null ? ToHtml(bodySnippet)
        : QuerySnippets.Lead(null, bodyStart);
}
