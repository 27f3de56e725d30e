using System.Text;
using Pipeline.Contracts;

namespace Pipeline.Cleaning.Html;

/// <summary>Cheap byte- and string-level checks: is this HTML, and which charset does it declare.</summary>
internal static class HtmlSniffer
{
    private static readonly string[] StrongMarkers = ["<!doctype html", "<html", "<head", "<body", "<meta ", "<title"];
    private static readonly string[] WeakMarkers = ["<div", "<p>", "<p ", "<br", "<span", "<a href", "<table", "<article", "</p>", "</div>"];

    /// <summary>Characters sniffed for markup: a page shows itself in its opening.</summary>
    private const int SniffLength = 4096;

    /// <summary>Weak markers (div, p, br ...) that make a page that starts with text HTML (with a strong one); text may quote a few.</summary>
    private const int MinWeakMarkersInText = 6;

    /// <summary>Weak markers that make a file that starts with a tag HTML (one tag could be a quoted one).</summary>
    private const int MinWeakMarkers = 2;

    /// <summary>Bytes searched for a charset declaration (HTML requires it within the first 1024; pages put it later).</summary>
    private const int DeclarationSearchBytes = 16384;

    /// <summary>A declaration in ASCII, as any encoding a page can declare itself in must read it.</summary>
    private static readonly byte[] AsciiDeclaration = "<meta charset=\"\">"u8.ToArray();

    public static bool LooksLikeHtml(ReadOnlySpan<byte> content)
    {
        var n = Math.Min(content.Length, SniffLength);
        Span<char> buffer = stackalloc char[n];
        for (var i = 0; i < n; i++)
        {
            var b = content[i];
            buffer[i] = b < 0x80 ? char.ToLowerInvariant((char)b) : ' ';
        }

        return LooksLikeHtml(buffer);
    }

    public static bool LooksLikeHtml(string text)
    {
        var n = Math.Min(text.Length, SniffLength);
        Span<char> buffer = stackalloc char[n];
        text.AsSpan(0, n).ToLowerInvariant(buffer);
        return LooksLikeHtml(buffer);
    }

    /// <summary>The head must already be lower-cased.</summary>
    private static bool LooksLikeHtml(ReadOnlySpan<char> head)
    {
        var trimmed = head.TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '<')
        {
            // Scraped text may quote a tag; HTML starts with one (after whitespace) or at least is full of them.
            return CountMarkers(head, WeakMarkers) >= MinWeakMarkersInText && CountMarkers(head, StrongMarkers) >= 1;
        }

        if (CountMarkers(head, StrongMarkers) > 0)
        {
            return true;
        }

        return CountMarkers(head, WeakMarkers) >= MinWeakMarkers || trimmed.StartsWith("<?xml", StringComparison.Ordinal);
    }

    private static int CountMarkers(ReadOnlySpan<char> head, string[] markers)
    {
        var count = 0;
        foreach (var marker in markers)
        {
            var rest = head;
            int at;
            while ((at = rest.IndexOf(marker, StringComparison.Ordinal)) >= 0)
            {
                count++;
                rest = rest[(at + marker.Length)..];
            }
        }

        return count;
    }

    /// <summary>The encoding named by <c>&lt;meta charset&gt;</c> or <c>http-equiv</c> in the first 16 KB, if any.</summary>
    public static Encoding? DeclaredEncoding(ReadOnlySpan<byte> content)
    {
        var n = Math.Min(content.Length, DeclarationSearchBytes);
        var head = Encoding.Latin1.GetString(content[..n]).ToLowerInvariant();
        var at = 0;
        while ((at = head.IndexOf("charset", at, StringComparison.Ordinal)) >= 0)
        {
            var i = at + 7;
            at = i;
            while (i < head.Length && head[i] is ' ' or '\t')
            {
                i++;
            }

            if (i >= head.Length || head[i] != '=')
            {
                continue;
            }

            i++;
            while (i < head.Length && head[i] is ' ' or '\t' or '"' or '\'')
            {
                i++;
            }

            var start = i;
            while (i < head.Length && (char.IsAsciiLetterOrDigit(head[i]) || head[i] is '-' or '_' or ':' or '.'))
            {
                i++;
            }

            if (i > start && IsInsideTag(head, at))
            {
                var encoding = FromName(head[start..i]);
                if (encoding is not null)
                {
                    return encoding;
                }
            }
        }

        return null;
    }

    private static bool IsInsideTag(string head, int position)
    {
        var open = head.LastIndexOf('<', position);
        var close = head.LastIndexOf('>', position);
        return open > close && string.Compare(head, open + 1, "meta", 0, 4, StringComparison.OrdinalIgnoreCase) == 0
            || (open > close && head.IndexOf("<?xml", open, Math.Min(5, head.Length - open), StringComparison.OrdinalIgnoreCase) == open);
    }

    /// <summary>
    /// The encoding a declared label names; null for a label no encoding has, or one that cannot be the page's own:
    /// the declaration was just read as ASCII, so an encoding that does not read ASCII as ASCII (UTF-16 under any of
    /// its names, UTF-32, EBCDIC) contradicts the bytes. Browsers likewise take a declared UTF-16 for UTF-8 (WHATWG
    /// HTML, prescan). A label .NET knows but refuses to decode (UTF-7) makes the page an invalid document.
    /// </summary>
    public static Encoding? FromName(string name)
    {
        name = name.Trim().ToUpperInvariant();
        // Browsers treat these labels as their supersets (WHATWG Encoding Standard).
        name = name switch
        {
            "ISO-8859-1" or "LATIN1" or "ISO8859-1" or "US-ASCII" or "ASCII" or "L1" => "windows-1252",
            "ISO-8859-9" => "windows-1254",
            "GB2312" or "GBK" or "X-GBK" => "gb18030",
            "KS_C_5601-1987" or "EUC-KR" => "ks_c_5601-1987",
            "UTF8" => "utf-8",
            _ => name,
        };
        Encoding encoding;
        try
        {
            encoding = CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException ex)
        {
            throw new InvalidDocumentException($"the page declares the charset {name.ToLowerInvariant()}, which is not supported", ex);
        }

        return encoding.GetString(AsciiDeclaration) == Encoding.ASCII.GetString(AsciiDeclaration) ? encoding : null;
    }
}
