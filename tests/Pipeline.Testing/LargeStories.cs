using System.Globalization;
using System.Text;

namespace Pipeline.Testing;

/// <summary>Generated news stories of any size: large inputs without large files in the repository.</summary>
public static class LargeStories
{
    /// <summary>The title every story has (the cleaner takes it from the first line).</summary>
    public const string Title = "Harbour expansion report";

    /// <summary>A plain-text story of about the given size, made of varied sentences so no cleaner mistakes it for boilerplate.</summary>
    public static byte[] Of(int bytes)
    {
        var text = new StringBuilder(Title + "\n\n");
        for (var paragraph = 1; text.Length < bytes; paragraph++)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"In its {paragraph}th session the port authority reviewed berth {paragraph % 17}, where {paragraph * 37 % 900} containers waited for cranes, and the council said shipments of rice and coffee had grown by {paragraph % 23} percent since the new quay opened. ");
            text.Append(CultureInfo.InvariantCulture,
                $"Inspectors counted {paragraph * 11 % 300} trucks at gate {paragraph % 9} before noon, while dock workers asked for a second shift to clear the backlog.\n\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
