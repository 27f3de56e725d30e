using System.Net;
using System.Text;

namespace Pipeline.Cleaning;

/// <summary>
/// Defends the DOM path against pathological markup: HTML tree building is quadratic in nesting depth, so a page
/// nested thousands of levels deep is flattened to text with a linear tag stripper instead.
/// </summary>
internal static class MarkupGuard
{
    public const int MaxDepth = 2000;

    private static readonly HashSet<string> NotCounted = new(StringComparer.OrdinalIgnoreCase)
    {
        // Void elements and elements whose end tag may be omitted do not nest in practice.
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
        "p", "li", "td", "th", "tr", "dt", "dd", "option", "optgroup", "tbody", "thead", "tfoot", "colgroup", "rt", "rp",
        "!doctype",
    };

    private static readonly HashSet<string> Breaking = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav",
        "aside", "blockquote", "pre", "table", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption", "hr", "main", "title",
    };

    /// <summary>An upper estimate of the element nesting depth, in one linear pass.</summary>
    public static int EstimateDepth(string html)
    {
        int depth = 0, max = 0, i = 0;
        while ((i = html.IndexOf('<', i)) >= 0 && i + 1 < html.Length)
        {
            var close = html[i + 1] == '/';
            var start = close ? i + 2 : i + 1;
            var end = start;
            while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] == '!'))
            {
                end++;
            }

            if (end == start)
            {
                i++;
                continue;
            }

            var name = html.AsSpan(start, end - start);
            var gt = html.IndexOf('>', end);
            if (gt < 0)
            {
                break;
            }

            var selfClosing = html[gt - 1] == '/';
            if (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase))
            {
                if (!close)
                {
                    var endTag = html.IndexOf("</" + name.ToString(), gt, StringComparison.OrdinalIgnoreCase);
                    i = endTag < 0 ? html.Length : endTag;
                    continue;
                }
            }
            else if (!selfClosing && !NotCounted.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name) && !name.StartsWith("!"))
            {
                depth = close ? Math.Max(0, depth - 1) : depth + 1;
                max = Math.Max(max, depth);
            }

            i = gt + 1;
        }

        return max;
    }

    /// <summary>Text of the markup with block tags turned into line breaks; scripts, styles and comments removed.</summary>
    public static string StripTags(string html)
    {
        var sb = new StringBuilder(html.Length / 2);
        var i = 0;
        while (i < html.Length)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0)
            {
                sb.Append(WebUtility.HtmlDecode(html[i..]));
                break;
            }

            if (lt > i)
            {
                sb.Append(WebUtility.HtmlDecode(html[i..lt]));
            }

            if (html.AsSpan(lt).StartsWith("<!--"))
            {
                var endComment = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                i = endComment < 0 ? html.Length : endComment + 3;
                continue;
            }

            var gt = html.IndexOf('>', lt + 1);
            if (gt < 0)
            {
                break;
            }

            var nameStart = lt + 1 < html.Length && html[lt + 1] == '/' ? lt + 2 : lt + 1;
            var nameEnd = nameStart;
            while (nameEnd < gt && char.IsAsciiLetterOrDigit(html[nameEnd]))
            {
                nameEnd++;
            }

            var name = html[nameStart..nameEnd];
            i = gt + 1;
            if (nameStart == lt + 1 && (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)))
            {
                var endTag = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                i = endTag < 0 ? html.Length : endTag;
                continue;
            }

            if (Breaking.Contains(name))
            {
                sb.Append('\n');
            }
            else
            {
                sb.Append(' ');
            }
        }

        return sb.ToString();
    }
}
