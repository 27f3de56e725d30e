using Pipeline.Relating;

namespace Pipeline.Relating.Tests;

/// <summary>The in-memory index keeps the contract the stores keep (DocumentStoreTests.Relations): each posting once, newest last.</summary>
public sealed class InMemoryArchiveIndexTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public async Task A_key_returns_each_id_once_and_the_newest_last(int ids)
    {
        var index = new InMemoryArchiveIndex();
        var names = Enumerable.Range(1, ids).Select(i => $"d{i}").ToList();
        // Each posted twice, the second time after all the others: a posting added again stays where it was.
        await index.WriteAsync(new ArchiveChanges([], [.. names.Select(n => new ArchivePosting("w:rice", n))]), Ct);
        await index.WriteAsync(new ArchiveChanges([new ArchiveRecord("story", "s1", "{\"v\":1}")], [.. names.Select(n => new ArchivePosting("w:rice", n))]), Ct);

        var all = await index.FindAsync(["w:rice", "w:none"], ids + 10, Ct);
        var newest = await index.FindAsync(["w:rice"], 2, Ct);

        Assert.Equal(names, all["w:rice"]);
        Assert.False(all.ContainsKey("w:none"));
        Assert.Equal(names[^2..], newest["w:rice"]);
        Assert.Equal("{\"v\":1}", (await index.ReadAsync("story", ["s1", "s2"], Ct)).Single().Value);
    }
}
