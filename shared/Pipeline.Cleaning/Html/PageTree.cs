namespace Pipeline.Cleaning.Html;

/// <summary>A light copy of the body of an HTML page: elements and text only, with the figures scoring needs.</summary>
internal sealed class PageNode
{
    public required string Tag { get; init; }

    /// <summary>Lower-cased class and id, space separated ("" for text nodes).</summary>
    public string Hints { get; init; } = string.Empty;

    public string? Text { get; init; }
    public PageNode? Parent { get; init; }
    public List<PageNode> Children { get; } = [];
    public int Depth { get; init; }

    /// <summary>Word characters in the subtree, and those inside links.</summary>
    public int Chars { get; set; }

    public int LinkChars { get; set; }
    public int Commas { get; set; }
    public int Paragraphs { get; set; }
    public double Score { get; set; }
    public bool IsCandidate { get; set; }
    public string? Href { get; init; }

    public bool IsText => Text is not null;
}

internal static class PageTree
{
    /// <summary>Elements whose content is never article text.</summary>
    public static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed", "video", "audio", "map",
        "input", "select", "textarea", "button", "option", "link", "meta", "source", "picture", "img", "math", "dialog",
    };

    /// <summary>Sets a node's counts from its children (children first).</summary>
    public static void Count(PageNode node)
    {
        int chars = 0, links = 0, commas = 0, paragraphs = node.Tag is "p" ? 1 : 0;
        foreach (var child in node.Children)
        {
            if (child.IsText)
            {
                var c = CountWordChars(child.Text!, out var cm);
                child.Chars = c;
                chars += c;
                commas += cm;
            }
            else
            {
                chars += child.Chars;
                links += child.LinkChars;
                commas += child.Commas;
                paragraphs += child.Paragraphs;
            }
        }

        node.Chars = chars;
        node.LinkChars = node.Tag == "a" ? chars : links;
        node.Commas = commas;
        node.Paragraphs = paragraphs;
    }

    private static int CountWordChars(string text, out int commas)
    {
        var n = 0;
        commas = 0;
        foreach (var c in text)
        {
            if (c is ',' or '，' or '、' or '،')
            {
                commas++;
            }
            else if (!TextTools.IsSpace(c))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Text of a subtree, whitespace collapsed (iterative).</summary>
    public static string TextOf(PageNode node)
    {
        var sb = new System.Text.StringBuilder();
        var stack = new Stack<PageNode>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.IsText)
            {
                sb.Append(n.Text);
                continue;
            }

            sb.Append(' ');
            for (var i = n.Children.Count - 1; i >= 0; i--)
            {
                stack.Push(n.Children[i]);
            }
        }

        return TextTools.CollapseWhitespace(sb.ToString());
    }

    /// <summary>First element with the tag, in document order.</summary>
    public static PageNode? Find(PageNode root, string tag)
    {
        var stack = new Stack<PageNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.Tag == tag)
            {
                return n;
            }

            for (var i = n.Children.Count - 1; i >= 0; i--)
            {
                if (!n.Children[i].IsText)
                {
                    stack.Push(n.Children[i]);
                }
            }
        }

        return null;
    }
}
