using System.Globalization;
using System.Text;

namespace Pipeline.Relating;

/// <summary>The words of a text as the relater compares them: lower case, letters and digits, accents dropped.</summary>
internal static class Words
{
    public static List<string> Of(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                words.Add(Fold(word.ToString()));
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(Fold(word.ToString()));
        }

        return words;
    }

    /// <summary>A word without its accents, so that "Nguyễn" and "Nguyen" are one word.</summary>
    public static string Fold(string word)
    {
        if (word.All(char.IsAscii))
        {
            return word;
        }

        var folded = new StringBuilder(word.Length);
        foreach (char c in word.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString();
    }
}
