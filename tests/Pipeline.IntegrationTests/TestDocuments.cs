using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>The seed files given beside the repository, read by the tests only.</summary>
internal static class TestDocuments
{
    public const string WireSeed = "vna-2020-12-03-vnukov.txt";
    public const string ScrapedSeed = "vcn-bezdetko-scraped-page.txt";

    public static byte[] Seed(string name) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Seeds, name));

    /// <summary>A plain-text story of about the given size, made of varied sentences so no cleaner mistakes it for boilerplate.</summary>
    public static byte[] LargeStory(int bytes)
    {
        var text = new System.Text.StringBuilder("Harbour expansion report\n\n");
        for (var paragraph = 1; text.Length < bytes; paragraph++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"In its {paragraph}th session the port authority reviewed berth {paragraph % 17}, where {paragraph * 37 % 900} containers waited for cranes, and the council said shipments of rice and coffee had grown by {paragraph % 23} percent since the new quay opened. ");
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"Inspectors counted {paragraph * 11 % 300} trucks at gate {paragraph % 9} before noon, while dock workers asked for a second shift to clear the backlog.\n\n");
        }

        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Copies a file into a drop folder the way a careful writer does: temporary name, then rename.</summary>
    public static void Drop(string dropFolder, string name, byte[] content)
    {
        var target = Path.Combine(dropFolder, name);
        File.WriteAllBytes(target + ".tmp", content);
        File.Move(target + ".tmp", target, overwrite: true);
    }

    /// <summary>Waits for a condition that other processes make true, failing with a description after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not true after {timeout}: {describe()}");
            }

            await Task.Delay(250);
        }
    }
}
