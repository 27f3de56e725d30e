using System.Globalization;
using System.Text;

namespace Pipeline.Cleaning;

/// <summary>Small string helpers shared by the HTML and text paths.</summary>
internal static class TextTools
{
    /// <summary>A word character as the evaluation scorer counts it (Python's <c>\w</c>): letters, numbers, underscore.</summary>
    public static bool IsWordChar(char c)
    {
        if (c < 0x80)
        {
            return char.IsAsciiLetterOrDigit(c) || c == '_';
        }

        var cat = CharUnicodeInfo.GetUnicodeCategory(c);
        return cat is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.Surrogate;
    }

    public static int CountWords(ReadOnlySpan<char> text)
    {
        var count = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var w = IsWordChar(c);
            if (w && !inWord)
            {
                count++;
            }

            inWord = w;
        }

        return count;
    }

    /// <summary>Lower-case letters and digits only, single-spaced: the identity of a line for repetition checks.</summary>
    /// <remarks>
    /// Measured first, then written straight into the string: a line's key is made for every line of a file, and a
    /// builder would allocate each one twice (on a large file, a second copy of the text).
    /// </remarks>
    public static string Key(ReadOnlySpan<char> text, int maxWords = int.MaxValue)
    {
        var length = WriteKey(text, maxWords, [], out var consumed);
        return length == 0 ? string.Empty
            : string.Create(length, text[..consumed], static (destination, source) => WriteKey(source, int.MaxValue, destination, out _));
    }

    /// <summary>
    /// Writes the key into <paramref name="destination"/> when it is not empty; returns the key's length either way, and in
    /// <paramref name="consumed"/> how much of the text it took (all of it, or up to the word past <paramref name="maxWords"/>).
    /// </summary>
    private static int WriteKey(ReadOnlySpan<char> text, int maxWords, Span<char> destination, out int consumed)
    {
        var write = !destination.IsEmpty;
        var length = 0;
        var words = 0;
        var inWord = false;
        consumed = text.Length;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsWordChar(c))
            {
                if (!inWord)
                {
                    if (words == maxWords)
                    {
                        consumed = i;
                        break;
                    }

                    if (length > 0)
                    {
                        if (write)
                        {
                            destination[length] = ' ';
                        }

                        length++;
                    }

                    words++;
                }

                if (write)
                {
                    destination[length] = char.ToLowerInvariant(c);
                }

                length++;
                inWord = true;
            }
            else
            {
                inWord = false;
            }
        }

        return length;
    }

    /// <summary>Collapses every run of whitespace (including no-break and zero-width spaces) to one space and trims.</summary>
    /// <remarks>Measured first, then written straight into the string (as <see cref="Key"/>, for every line of a file).</remarks>
    public static string CollapseWhitespace(ReadOnlySpan<char> text)
    {
        var length = WriteCollapsed(text, []);
        return length == 0 ? string.Empty : string.Create(length, text, static (destination, source) => WriteCollapsed(source, destination));
    }

    /// <summary>Writes the collapsed text into <paramref name="destination"/> when it is not empty; returns its length either way.</summary>
    private static int WriteCollapsed(ReadOnlySpan<char> text, Span<char> destination)
    {
        var write = !destination.IsEmpty;
        var length = 0;
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (IsSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }

            if (c is '\u200B' or '\u200C' or '\u200D' or '\uFEFF' or '\u00AD')
            {
                continue;
            }

            if (pendingSpace)
            {
                if (write)
                {
                    destination[length] = ' ';
                }

                length++;
                pendingSpace = false;
            }

            if (write)
            {
                destination[length] = c;
            }

            length++;
        }

        return length;
    }

    public static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f' or '\v' or '\u00A0' or '\u2007' or '\u202F'
        || (c >= '\u2000' && c <= '\u200A') || c == '\u3000' || c == '\u1680' || c == '\u205F' || c == '\u2028' || c == '\u2029';

    public static bool EndsLikeSentence(ReadOnlySpan<char> line)
    {
        line = line.TrimEnd();
        while (line.Length > 0 && line[^1] is '"' or '\'' or '”' or '’' or '»' or ')' or ']' or '*')
        {
            line = line[..^1];
        }

        return line.Length > 0 && line[^1] is '.' or '!' or '?' or '…' or '。' or '！' or '？' or ':' or ';' or '।' or '؟';
    }

    public static int CountChar(ReadOnlySpan<char> text, char c)
    {
        var n = 0;
        foreach (var x in text)
        {
            if (x == c)
            {
                n++;
            }
        }

        return n;
    }

    public static bool IsCjk(char c) => c is >= '\u3040' and <= '\u30FF' or >= '\u3400' and <= '\u4DBF' or >= '\u4E00' and <= '\u9FFF'
        or >= '\uAC00' and <= '\uD7AF' or >= '\uF900' and <= '\uFAFF';

    /// <summary>Text with more than 1/this of CJK characters is counted by characters too (a CJK word is about two).</summary>
    private const int CjkShareDivisor = 4;

    private const int CjkCharsPerWord = 2;

    /// <summary>Word count for mixed scripts: CJK characters count about a word per two characters.</summary>
    public static int Weight(ReadOnlySpan<char> text)
    {
        var cjk = 0;
        foreach (var c in text)
        {
            if (IsCjk(c))
            {
                cjk++;
            }
        }

        return cjk > text.Length / CjkShareDivisor ? Math.Max(CountWords(text), cjk / CjkCharsPerWord) : CountWords(text);
    }

    /// <summary>Most words of a site name cut off a title without knowing the site ("The New York Times").</summary>
    private const int MaxSiteSuffixWords = 4;

    /// <summary>Fewest words of the headline left when a suffix is cut off (fewer: the "suffix" was part of it).</summary>
    private const int MinHeadlineWordsLeft = 3;

    /// <summary>Removes a trailing " - Site" / " | Site" suffix from a page title when it leaves a real headline.</summary>
    public static string StripSiteSuffix(string title, string? siteName)
    {
        title = title.Trim();
        if (!string.IsNullOrEmpty(siteName))
        {
            foreach (var sep in (string[])[" - ", " | ", " – ", " — ", " :: ", " · ", " » "])
            {
                if (title.EndsWith(sep + siteName, StringComparison.OrdinalIgnoreCase))
                {
                    return title[..^(sep.Length + siteName.Length)].Trim();
                }

                if (title.StartsWith(siteName + sep, StringComparison.OrdinalIgnoreCase))
                {
                    return title[(siteName.Length + sep.Length)..].Trim();
                }
            }
        }

        foreach (var sep in (string[])[" | ", " - ", " – ", " — ", " :: ", " · ", " » "])
        {
            var at = title.LastIndexOf(sep, StringComparison.Ordinal);
            if (at > 0)
            {
                var tail = title.AsSpan(at + sep.Length);
                var head = title.AsSpan(0, at);
                if (CountWords(tail) <= MaxSiteSuffixWords && CountWords(head) >= MinHeadlineWordsLeft && CountWords(head) > CountWords(tail))
                {
                    return title[..at].Trim();
                }
            }
        }

        return title;
    }
}
