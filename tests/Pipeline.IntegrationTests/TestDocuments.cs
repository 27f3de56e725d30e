using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>The seed files given beside the repository, read by the tests only.</summary>
internal static class TestDocuments
{
    public const string WireSeed = "vna-2020-12-03-vnukov.txt";
    public const string ScrapedSeed = "vcn-bezdetko-scraped-page.txt";

    public static byte[] Seed(string name) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Seeds, name));

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
