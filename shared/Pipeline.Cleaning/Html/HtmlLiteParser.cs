using System.Net;

namespace Pipeline.Cleaning.Html;

/// <summary>What the parser keeps of a page: the body tree and the head's self-description.</summary>
internal sealed class ParsedPage
{
    public required PageNode Root { get; init; }
    public List<(string Key, string Content)> Metas { get; } = [];
    public List<(string Rel, string Href)> Links { get; } = [];
    public List<string> JsonLd { get; } = [];
    public string? Title { get; set; }
    public string? Lang { get; set; }
}

/// <summary>
/// A small, fast, forgiving HTML parser: one linear pass of tokenizing with the tree-building rules that matter for
/// text (implicit ends of p, li, dt/dd, table cells and rows, headings, links; end tags matched within scope;
/// raw-text elements skipped). Misnested formatting is not reconstructed. No recursion, and every stack search is
/// bounded, so the cost stays linear even for pages nested a hundred thousand levels deep.
/// </summary>
internal static class HtmlLiteParser
{
    private const int MaxSearch = 256;

    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
        "basefont", "bgsound", "frame", "image",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal)
    {
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext",
    };

    private static readonly HashSet<string> ClosesParagraph = new(StringComparer.Ordinal)
    {
        "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "main", "menu", "nav", "ol", "p",
        "pre", "section", "table", "ul", "li", "dd", "dt", "summary",
    };

    /// <summary>Where the search for an open element to close stops (the HTML standard's default scope).</summary>
    private static readonly HashSet<string> ScopeBoundary = new(StringComparer.Ordinal)
    {
        "td", "th", "table", "caption", "object", "applet", "marquee", "template",
    };

    /// <summary>
    /// The scope for closing a paragraph, which also stops at a button. Only there: an unclosed button must not keep the
    /// rest of the page from closing its elements (and swallow it, since a button's subtree is detached).
    /// </summary>
    private static readonly HashSet<string> ButtonScope = new(ScopeBoundary, StringComparer.Ordinal) { "button" };

    /// <summary>Elements whose content never reaches the article text (kept in the tree as detached subtrees).</summary>
    private static readonly HashSet<string> Detached = new(StringComparer.Ordinal)
    {
        "svg", "math", "canvas", "object", "video", "audio", "map", "select", "button", "template",
        "picture", "datalist", "rt", "rp", // ruby annotations: readings printed over the text, not part of it
    };

    private sealed class Builder
    {
        private readonly List<PageNode> _stack = [];
        private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
        private int _foreign;

        public Builder(PageNode root) => _stack.Add(root);

        public PageNode Current => _stack[^1];

        public int OpenCount(string tag) => _open.GetValueOrDefault(tag);

        public bool InForeign => _foreign > 0;

        public void Push(PageNode node)
        {
            _stack.Add(node);
            _open[node.Tag] = _open.GetValueOrDefault(node.Tag) + 1;
            if (node.Tag is "svg" or "math")
            {
                _foreign++;
            }
        }

        private void Pop()
        {
            var node = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            _open[node.Tag]--;
            if (node.Tag is "svg" or "math")
            {
                _foreign--;
            }
        }

        /// <summary>Closes the nearest open <paramref name="tag"/> unless a boundary element comes first.</summary>
        public bool Close(string tag, HashSet<string>? boundary = null, string? stopAt = null)
        {
            if (OpenCount(tag) == 0)
            {
                return false;
            }

            var limit = Math.Max(1, _stack.Count - MaxSearch);
            for (var i = _stack.Count - 1; i >= limit; i--)
            {
                var t = _stack[i].Tag;
                if (t == tag)
                {
                    while (_stack.Count > i)
                    {
                        Pop();
                    }

                    return true;
                }

                if ((boundary is not null && boundary.Contains(t)) || (stopAt is not null && stopAt.Contains(t, StringComparison.Ordinal)))
                {
                    return false;
                }
            }

            return false;
        }
    }

    public static ParsedPage Parse(string html)
    {
        var root = new PageNode { Tag = "body" };
        var page = new ParsedPage { Root = root };
        Build(new Builder(root), page, html);
        Measure(root);
        return page;
    }

    /// <summary>Tokenizes <paramref name="html"/> and builds its elements under the builder's current element.</summary>
    private static void Build(Builder b, ParsedPage page, string html)
    {
        var attrs = new List<(string Name, string Value)>(8);
        var n = html.Length;
        var i = 0;
        while (i < n)
        {
            var lt = html.IndexOf('<', i);
            if (lt < 0)
            {
                AddText(b, html, i, n);
                break;
            }

            if (lt > i)
            {
                AddText(b, html, i, lt);
            }

            if (lt + 1 >= n)
            {
                break;
            }

            var c = html[lt + 1];
            if (c == '!')
            {
                if (string.CompareOrdinal(html, lt, "<!--", 0, 4) == 0)
                {
                    var end = html.IndexOf("-->", lt + 4, StringComparison.Ordinal);
                    i = end < 0 ? n : end + 3;
                }
                else
                {
                    var end = html.IndexOf('>', lt + 2);
                    i = end < 0 ? n : end + 1;
                }

                continue;
            }

            if (c == '?')
            {
                var end = html.IndexOf('>', lt + 2);
                i = end < 0 ? n : end + 1;
                continue;
            }

            if (c == '/')
            {
                var nameEnd = lt + 2;
                while (nameEnd < n && IsNameChar(html[nameEnd]))
                {
                    nameEnd++;
                }

                var gt = html.IndexOf('>', nameEnd);
                i = gt < 0 ? n : gt + 1;
                if (nameEnd > lt + 2)
                {
                    EndTag(b, Lower(html, lt + 2, nameEnd));
                }

                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                AddText(b, html, lt, lt + 1);
                i = lt + 1;
                continue;
            }

            var p = lt + 1;
            while (p < n && IsNameChar(html[p]))
            {
                p++;
            }

            var name = Lower(html, lt + 1, p);
            attrs.Clear();
            var selfClosing = false;
            p = ReadAttributes(html, p, attrs, ref selfClosing);
            i = p;

            // Inside SVG and MathML, title and the like are ordinary elements (an icon's <title/> is self-closed).
            if (RawText.Contains(name) && (!b.InForeign || name is "script" or "style"))
            {
                var close = FindEndTag(html, p, name);
                var content = close < 0 ? string.Empty : html[p..close];
                if (close < 0)
                {
                    close = n;
                }

                var gt = close < n ? html.IndexOf('>', close) : -1;
                i = gt < 0 ? n : gt + 1;
                if (name == "title" && page.Title is null)
                {
                    page.Title = Decode(content);
                }
                else if (name == "script" && Attr(attrs, "type")?.Contains("ld+json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    page.JsonLd.Add(content);
                }
                else if (name == "script" && IsMarkupTemplate(Attr(attrs, "type"), content))
                {
                    // A page that inserts its text from a template script at load time: the template is the content.
                    var holder = new PageNode { Tag = "div", Parent = b.Current, Depth = b.Current.Depth + 1 };
                    b.Current.Children.Add(holder);
                    Build(new Builder(holder), page, content);
                }

                continue;
            }

            StartTag(b, page, name, attrs, selfClosing);
        }
    }

    /// <summary>
    /// A script holding finished HTML (type text/template or text/html) rather than code or a template with placeholders
    /// to fill in. Its content holds no script end tag, so building it recurses once at most.
    /// </summary>
    private static bool IsMarkupTemplate(string? type, string content) =>
        type is not null
        && (type.Equals("text/template", StringComparison.OrdinalIgnoreCase) || type.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        && !content.Contains("{{", StringComparison.Ordinal) && !content.Contains("<%", StringComparison.Ordinal)
        && !content.Contains("${", StringComparison.Ordinal);

    private static int FindEndTag(string html, int from, string name)
    {
        var at = from;
        while ((at = html.IndexOf("</", at, StringComparison.Ordinal)) >= 0)
        {
            if (at + 2 + name.Length <= html.Length && string.Compare(html, at + 2, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
                && (at + 2 + name.Length == html.Length || !IsNameChar(html[at + 2 + name.Length])))
            {
                return at;
            }

            at += 2;
        }

        return -1;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or ':' or '_';

    private static string Lower(string html, int start, int end)
    {
        var span = html.AsSpan(start, end - start);
        foreach (var ch in span)
        {
            if (char.IsAsciiLetterUpper(ch))
            {
                return span.ToString().ToLowerInvariant();
            }
        }

        return Intern(span);
    }

    private static readonly string[] Common =
    [
        "a", "p", "div", "span", "li", "ul", "ol", "br", "img", "td", "tr", "th", "table", "tbody", "h1", "h2", "h3", "h4", "h5",
        "h6", "section", "article", "main", "header", "footer", "nav", "aside", "figure", "figcaption", "strong", "em", "b", "i",
        "meta", "link", "script", "style", "input", "button", "form", "label", "svg", "path", "time", "blockquote", "iframe",
        "noscript", "source", "picture", "title", "html", "head", "body", "u", "small", "sup", "sub", "hr", "pre", "code", "dl",
        "dt", "dd", "option", "select", "g", "use", "circle", "rect", "polygon", "wbr", "font", "center", "thead", "tfoot", "caption",
    ];

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> CommonLookup =
        Common.ToDictionary(x => x, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static string Intern(ReadOnlySpan<char> span) => CommonLookup.TryGetValue(span, out var s) ? s : span.ToString();

    private static int ReadAttributes(string html, int p, List<(string Name, string Value)> attrs, ref bool selfClosing)
    {
        var n = html.Length;
        while (p < n)
        {
            var c = html[p];
            if (c == '>')
            {
                return p + 1;
            }

            if (TextTools.IsSpace(c))
            {
                p++;
                continue;
            }

            if (c == '/')
            {
                selfClosing = p + 1 < n && html[p + 1] == '>';
                p++;
                continue;
            }

            var nameStart = p;
            while (p < n && html[p] is not ('=' or '>' or '/' or ' ' or '\t' or '\n' or '\r' or '\f'))
            {
                p++;
            }

            var name = Lower(html, nameStart, p);
            while (p < n && TextTools.IsSpace(html[p]))
            {
                p++;
            }

            var value = string.Empty;
            if (p < n && html[p] == '=')
            {
                p++;
                while (p < n && TextTools.IsSpace(html[p]))
                {
                    p++;
                }

                if (p < n && html[p] is '"' or '\'')
                {
                    var quote = html[p];
                    var end = html.IndexOf(quote, p + 1);
                    if (end < 0)
                    {
                        end = n;
                    }

                    value = html[(p + 1)..end];
                    p = Math.Min(n, end + 1);
                }
                else
                {
                    var start = p;
                    while (p < n && html[p] is not ('>' or ' ' or '\t' or '\n' or '\r' or '\f'))
                    {
                        p++;
                    }

                    value = html[start..p];
                }
            }

            if (attrs.Count < 64 && name.Length > 0)
            {
                attrs.Add((name, value));
            }
        }

        return n;
    }

    private static string? Attr(List<(string Name, string Value)> attrs, string name)
    {
        foreach (var (k, v) in attrs)
        {
            if (k == name)
            {
                return v.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(v) : v;
            }
        }

        return null;
    }

    private static void StartTag(Builder b, ParsedPage page, string name, List<(string Name, string Value)> attrs, bool selfClosing)
    {
        switch (name)
        {
            case "html":
                page.Lang ??= Attr(attrs, "lang");
                return;
            case "body" or "head":
                return;
            case "caption" or "colgroup" or "col" or "tbody" or "thead" or "tfoot" or "tr" or "td" or "th"
                when b.OpenCount("table") == 0 && !b.InForeign:
                return; // a table part outside any table is ignored, as browsers do; its text stays in the element around it
            case "meta":
                var key = Attr(attrs, "property") ?? Attr(attrs, "name") ?? Attr(attrs, "itemprop");
                var content = Attr(attrs, "content");
                if (key is not null && content is not null)
                {
                    page.Metas.Add((key.Trim().ToLowerInvariant(), content.Trim()));
                }

                return;
            case "link":
                var rel = Attr(attrs, "rel");
                var href = Attr(attrs, "href");
                if (rel is not null && href is not null)
                {
                    page.Links.Add((rel.Trim().ToLowerInvariant(), href.Trim()));
                }

                return;
            default:
                break;
        }

        if (b.OpenCount("p") > 0 && ClosesParagraph.Contains(name))
        {
            b.Close("p", ButtonScope);
        }

        switch (name)
        {
            case "li":
                b.Close("li", null, "ul ol table td th menu");
                break;
            case "dt" or "dd":
                if (!b.Close("dt", null, "dl table td th"))
                {
                    b.Close("dd", null, "dl table td th");
                }

                break;
            case "tr":
                b.Close("tr", null, "table");
                break;
            case "td" or "th":
                if (!b.Close("td", null, "tr table"))
                {
                    b.Close("th", null, "tr table");
                }

                break;
            case "option":
                b.Close("option");
                break;
            case "a":
                b.Close("a", ScopeBoundary);
                break;
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                if (b.Current.Tag is "h1" or "h2" or "h3" or "h4" or "h5" or "h6")
                {
                    b.Close(b.Current.Tag);
                }

                break;
            default:
                break;
        }

        var parent = b.Current;
        var hidden = IsHidden(attrs);
        var node = new PageNode
        {
            Tag = name,
            Hints = HintsOf(name, attrs),
            Parent = parent,
            Depth = parent.Depth + 1,
            Href = name == "a" ? Attr(attrs, "href") : null,
        };
        if (!hidden && !Detached.Contains(name) && !PageTree.Dropped.Contains(name))
        {
            parent.Children.Add(node);
        }

        if (Void.Contains(name) || (selfClosing && b.InForeign))
        {
            return;
        }

        b.Push(node);
    }

    private static void EndTag(Builder b, string name)
    {
        switch (name)
        {
            case "html" or "body" or "head":
                return;
            case "br":
                var parent = b.Current;
                parent.Children.Add(new PageNode { Tag = "br", Parent = parent, Depth = parent.Depth + 1 });
                return;
            case "p":
                b.Close(name, ButtonScope);
                return;
            case "li" or "dt" or "dd" or "a" or "h1" or "h2" or "h3" or "h4" or "h5" or "h6" or "div" or "span":
                b.Close(name, ScopeBoundary);
                return;
            default:
                b.Close(name, name is "td" or "th" or "tr" or "table" or "tbody" or "thead" or "tfoot" ? null : ScopeBoundary);
                return;
        }
    }

    private static void AddText(Builder b, string html, int start, int end)
    {
        var parent = b.Current;
        var span = html.AsSpan(start, end - start);
        string text;
        if (span.Contains('&'))
        {
            text = WebUtility.HtmlDecode(span.ToString());
        }
        else
        {
            var allSpace = true;
            foreach (var ch in span)
            {
                if (!TextTools.IsSpace(ch))
                {
                    allSpace = false;
                    break;
                }
            }

            text = allSpace ? " " : span.ToString();
        }

        parent.Children.Add(new PageNode { Tag = "#text", Text = text, Parent = parent, Depth = parent.Depth + 1 });
    }

    private static string Decode(string s) => s.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(s) : s;

    /// <summary>
    /// Class, id, role and itemprop, lower-cased. A heading's id is left out: it is the anchor a table of contents links
    /// to, mostly a slug of the heading's own words ("what-to-read-next"), and says nothing of its role.
    /// </summary>
    private static string HintsOf(string name, List<(string Name, string Value)> attrs)
    {
        string? cls = null, id = null, role = null, itemprop = null;
        foreach (var (k, v) in attrs)
        {
            switch (k)
            {
                case "class": cls = v; break;
                case "id" when name is not ("h1" or "h2" or "h3" or "h4" or "h5" or "h6"): id = v; break;
                case "role": role = v; break;
                case "itemprop": itemprop = v; break;
                default: break;
            }
        }

        if (cls is null && id is null && role is null && itemprop is null)
        {
            return string.Empty;
        }

        return string.Join(' ', cls, id, role, itemprop).ToLowerInvariant();
    }

    /// <summary>Hidden from view by attribute or inline style (aria-hidden is not: it only hides from screen readers).</summary>
    private static bool IsHidden(List<(string Name, string Value)> attrs)
    {
        foreach (var (k, v) in attrs)
        {
            switch (k)
            {
                case "hidden":
                    return true;
                case "style":
                    var compact = v.Replace(" ", string.Empty, StringComparison.Ordinal);
                    if (compact.Contains("display:none", StringComparison.OrdinalIgnoreCase)
                        || compact.Contains("visibility:hidden", StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }

                    break;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>Fills in character, link and comma counts bottom-up with an explicit post-order walk.</summary>
    private static void Measure(PageNode root)
    {
        var order = new List<PageNode>();
        var stack = new Stack<PageNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            order.Add(node);
            foreach (var child in node.Children)
            {
                if (!child.IsText)
                {
                    stack.Push(child);
                }
            }
        }

        for (var k = order.Count - 1; k >= 0; k--)
        {
            PageTree.Count(order[k]);
        }
    }
}
