using MassTransit;
using MassTransit.MessageData;
using Pipeline.Hosting;

namespace Pipeline.IntegrationTests;

/// <summary>The two claim-check stores: the folder the processes of a deployment share, and one process's memory.</summary>
public sealed class ClaimCheckTests
{
    [Fact]
    public async Task The_folder_removes_its_own_files_and_nothing_else()
    {
        var root = Directory.CreateTempSubdirectory("pipeline-claims-").FullName;
        var folder = Path.Combine(root, "message-data");
        var repository = new FileSystemMessageDataRepository(Directory.CreateDirectory(folder));
        var claimChecks = new ClaimCheckFolder(folder);
        var outside = Path.Combine(root, "outside.txt");
        await File.WriteAllTextAsync(outside, "not a claim check");

        var claim = await repository.PutBytes([1, 2, 3]);
        Assert.Single(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories));

        claimChecks.Remove(claim.Address);
        claimChecks.Remove(claim.Address);
        claimChecks.Remove(null);
        claimChecks.Remove(new Uri("urn:file:..:outside.txt"));

        Assert.Empty(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories));
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public async Task Memory_hands_back_what_was_put_until_it_is_removed()
    {
        var claimChecks = new InMemoryClaimChecks();

        var claim = await claimChecks.PutBytes([1, 2, 3]);
        claimChecks.Remove(new Uri("urn:file:elsewhere:x"));

        Assert.Equal([1, 2, 3], await (await claimChecks.GetBytes(claim.Address)).Value);
        claimChecks.Remove(claim.Address);
        Assert.Equal(0, claimChecks.Count);
        await Assert.ThrowsAsync<MessageDataNotFoundException>(() => claimChecks.Get(claim.Address));
    }
}
