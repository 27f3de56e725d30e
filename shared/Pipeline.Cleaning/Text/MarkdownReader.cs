using System.Text;

namespace Pipeline.Cleaning.Text;

/// <summary>Recognises Markdown and turns it into plain lines (one per paragraph, list item or heading).</summary>
internal static class MarkdownReader
{
    /// <summary>Characters sniffed for Markdown syntax: the opening of a file tells, and a huge file is not read twice.</summary>
    private const int SniffChars = 20000;

    /// <summary>Fewest bullet lines that count as a list signal (one "- " line is a dash in text).</summary>
    private const int MinBulletLines = 2;

    /// <summary>Fewest kinds of Markdown syntax that together make a file Markdown (any one may occur in plain text).</summary>
    private const int MinSignals = 2;

    /// <summary>Fewest Markdown links that alone make a file Markdown.</summary>
    private const int MinLinksAlone = 3;

    /// <summary>Deepest ATX heading (Markdown's "######"); more hashes are text.</summary>
    private const int MaxHeadingLevel = 6;

    /// <summary>Longest inline HTML tag removed; a longer stretch between a "&lt;" and a "&gt;" is text.</summary>
    private const int MaxInlineTagChars = 200;

    public static bool LooksLikeMarkdown(string text)
    {
        var head = text.AsSpan(0, Math.Min(text.Length, SniffChars));
        int headings = 0, links = 0, fences = 0, bullets = 0, emphasis = 0;
        foreach (var range in head.Split('\n'))
        {
            var line = head[range].TrimEnd('\r');
            if (line.StartsWith("# ") || line.StartsWith("## ") || line.StartsWith("### ") || line.StartsWith("#### "))
            {
                headings++;
            }
            else if (line.StartsWith("```") || line.StartsWith("~~~"))
            {
                fences++;
            }
            else if (line.StartsWith("- ") || line.StartsWith("* ") || line.StartsWith("+ "))
            {
                bullets++;
            }

            if (line.Contains("](", StringComparison.Ordinal) && line.Contains('['))
            {
                links++;
            }

            if (line.Contains("**", StringComparison.Ordinal) || line.Contains("__", StringComparison.Ordinal))
            {
                emphasis++;
            }
        }

        var signals = (headings > 0 ? 1 : 0) + (links > 0 ? 1 : 0) + (fences > 0 ? 1 : 0) + (bullets >= MinBulletLines ? 1 : 0) + (emphasis > 0 ? 1 : 0);
        return signals >= MinSignals || (headings > 0 && head.TrimStart().StartsWith("# ")) || links >= MinLinksAlone;
    }

    /// <summary>Plain text with one line per block and blank lines between; the first heading is returned as the title.</summary>
    public static string ToPlainText(string markdown, out string? title)
    {
        title = null;
        var output = new StringBuilder(markdown.Length);
        var paragraph = new StringBuilder();
        var inFence = false;
        // Lines are read in place (a trailing \r goes with the trailing whitespace): no copy of the text as an array of lines.
        foreach (var range in markdown.AsSpan().Split('\n'))
        {
            var line = markdown.AsSpan(range).TrimEnd().ToString();
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                FlushParagraph(paragraph, output);
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                output.Append(line).Append("\n\n");
                continue;
            }

            if (trimmed.Length == 0)
            {
                FlushParagraph(paragraph, output);
                continue;
            }

            // Setext underline, horizontal rules and table separators carry no text.
            if (trimmed.Trim('=', '-', '*', '_', ' ', '|', ':').Length == 0)
            {
                continue;
            }

            var isBlockStart = false;
            if (trimmed[0] == '#')
            {
                var level = 0;
                while (level < trimmed.Length && trimmed[level] == '#')
                {
                    level++;
                }

                if (level <= MaxHeadingLevel && (level == trimmed.Length || trimmed[level] == ' '))
                {
                    var heading = Inline(trimmed[level..].Trim().TrimEnd('#').Trim());
                    FlushParagraph(paragraph, output);
                    if (title is null && heading.Length > 0)
                    {
                        title = heading;
                        continue;
                    }

                    output.Append(heading).Append("\n\n");
                    continue;
                }
            }

            while (trimmed.StartsWith('>'))
            {
                trimmed = trimmed[1..].TrimStart();
            }

            if (trimmed.Length > 1 && (trimmed[0] is '-' or '*' or '+') && trimmed[1] == ' ')
            {
                trimmed = trimmed[2..];
                isBlockStart = true;
            }
            else
            {
                var digits = 0;
                while (digits < trimmed.Length && char.IsAsciiDigit(trimmed[digits]))
                {
                    digits++;
                }

                if (digits > 0 && digits + 1 < trimmed.Length && trimmed[digits] is '.' or ')' && trimmed[digits + 1] == ' ')
                {
                    trimmed = trimmed[(digits + 2)..];
                    isBlockStart = true;
                }
            }

            if (trimmed.StartsWith('|'))
            {
                trimmed = string.Join(' ', trimmed.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                isBlockStart = true;
            }

            if (isBlockStart)
            {
                FlushParagraph(paragraph, output);
            }

            if (paragraph.Length > 0)
            {
                paragraph.Append(' ');
            }

            paragraph.Append(Inline(trimmed));
            if (line.EndsWith("  ", StringComparison.Ordinal) || isBlockStart)
            {
                FlushParagraph(paragraph, output);
            }
        }

        FlushParagraph(paragraph, output);
        return output.ToString();
    }

    private static void FlushParagraph(StringBuilder paragraph, StringBuilder output)
    {
        if (paragraph.Length > 0)
        {
            output.Append(paragraph).Append("\n\n");
            paragraph.Clear();
        }
    }

    /// <summary>Inline syntax: images dropped, links reduced to their text, emphasis and code marks removed.</summary>
    internal static string Inline(string text)
    {
        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]) is false)
            {
                sb.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if ((c == '!' && i + 1 < text.Length && text[i + 1] == '[') || c == '[')
            {
                var image = c == '!';
                var open = image ? i + 1 : i;
                var close = text.IndexOf(']', open + 1);
                if (close > open && close + 1 < text.Length && text[close + 1] == '(')
                {
                    var end = text.IndexOf(')', close + 2);
                    if (end > close)
                    {
                        if (!image)
                        {
                            sb.Append(Inline(text[(open + 1)..close]));
                        }

                        i = end + 1;
                        continue;
                    }
                }
            }

            if (c is '*' or '`' || (c == '_' && (i == 0 || i + 1 >= text.Length || !char.IsLetterOrDigit(text[i - 1]) || !char.IsLetterOrDigit(text[i + 1]))))
            {
                i++;
                continue;
            }

            if (c == '<')
            {
                var end = text.IndexOf('>', i + 1);
                if (end > i && end - i < MaxInlineTagChars && (i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] == '/')))
                {
                    var inner = text.AsSpan(i + 1, end - i - 1);
                    if (inner.StartsWith("http", StringComparison.OrdinalIgnoreCase))
                    {
                        sb.Append(inner);
                    }

                    i = end + 1;
                    continue;
                }
            }

            sb.Append(c);
            i++;
        }

        return sb.ToString();
    }
}
