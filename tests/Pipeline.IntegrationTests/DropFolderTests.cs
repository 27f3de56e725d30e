using System.Diagnostics;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Contracts;
using Pipeline.Stages;
using Pipeline.Stages.Ingest;

namespace Pipeline.IntegrationTests;

public sealed class DropFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-drop-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("pipeline-outside-").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly DropFolder _folder;

    public DropFolderTests()
    {
        _folder = Replica("here");
    }

    [Fact]
    public void A_file_counts_only_after_it_stayed_unchanged_for_the_settle_time()
    {
        var path = Path.Combine(_root, "story.txt");
        File.WriteAllText(path, "first half");
        Assert.Empty(_folder.CompleteFiles());

        _clock.Advance(TimeSpan.FromMilliseconds(600));
        File.AppendAllText(path, " and the rest");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
        Assert.Empty(_folder.CompleteFiles());

        _clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Empty(_folder.CompleteFiles());

        _clock.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal("story.txt", Assert.Single(_folder.CompleteFiles()).Name);
    }

    [Theory]
    [InlineData("story.txt.tmp")]
    [InlineData("story.part")]
    [InlineData(".hidden.txt")]
    [InlineData("story.txt~")]
    public void Files_still_being_written_are_never_picked_up(string name)
    {
        File.WriteAllText(Path.Combine(_root, name), "text");
        _folder.CompleteFiles();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(_folder.CompleteFiles());
    }

    [Fact]
    public void Failing_a_file_moves_it_aside_with_the_reason_beside_it()
    {
        var path = Path.Combine(_root, "broken.bin");
        File.WriteAllBytes(path, [0, 1, 2]);

        Assert.True(_folder.Fail(new FileInfo(path), "binary file\nnot text"));

        Assert.False(File.Exists(path));
        var failed = Path.Combine(_root, ".failed", "broken.bin");
        Assert.True(File.Exists(failed));
        Assert.Equal("binary file not text", File.ReadAllText(failed + ".error.txt").Trim());
    }

    [Fact]
    public void Archiving_never_overwrites_an_earlier_file_of_the_same_name()
    {
        foreach (var content in new[] { "one", "two" })
        {
            var path = Path.Combine(_root, "same.txt");
            File.WriteAllText(path, content);
            Assert.True(_folder.Archive(new FileInfo(path)));
        }

        var archived = Directory.GetFiles(Path.Combine(_root, ".archive")).Select(File.ReadAllText).Order();
        Assert.Equal(["one", "two"], archived);
    }

    [Fact]
    public void A_document_that_failed_later_has_its_own_archived_file_set_aside()
    {
        // Two files of one name in the archive ("same.txt", "same.1.txt") and one of a name that only begins alike.
        foreach (var (name, content) in new[] { ("same.txt", "one"), ("same.txt", "two"), ("same.other.txt", "two") })
        {
            var path = Path.Combine(_root, name);
            File.WriteAllText(path, content);
            Assert.True(_folder.Archive(new FileInfo(path)));
        }

        var two = DocumentId.FromContent("two"u8);
        Assert.False(_folder.FailArchived(DocumentId.FromContent("three"u8), "same.txt", "failed at Clean: no"));
        Assert.True(_folder.FailArchived(two, "same.txt", "failed at Clean: binary document"));

        var failed = Path.Combine(_root, ".failed", "same.1.txt");
        Assert.Equal("two", File.ReadAllText(failed));
        Assert.Equal("failed at Clean: binary document", File.ReadAllText(failed + ".error.txt").Trim());
        Assert.Equal(["same.other.txt", "same.txt"], Directory.GetFiles(Path.Combine(_root, ".archive")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_file_another_process_took_first_is_not_an_error()
    {
        var path = Path.Combine(_root, "gone.txt");
        File.WriteAllText(path, "x");
        var file = new FileInfo(path);
        File.Delete(path);

        Assert.False(_folder.Archive(file));
        Assert.False(_folder.Fail(file, "too late"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".failed")));
    }

    [Fact]
    public void A_file_rewritten_after_it_was_found_complete_is_not_unchanged()
    {
        var path = Path.Combine(_root, "story.txt");
        File.WriteAllText(path, "first version");
        var found = new FileInfo(path);
        Assert.True(DropFolder.IsUnchanged(found));

        File.WriteAllText(path, "second, longer version");

        Assert.False(DropFolder.IsUnchanged(found));
    }

    [Theory]
    [InlineData("x..%2F..%2Fpasswd.txt")]
    [InlineData("$(rm -rf ~);.txt")]
    [InlineData("a b 'c' \"d\" `e`.txt")]
    public void Names_with_shell_or_path_characters_stay_inside_the_folders(string name)
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, "text");
        _folder.CompleteFiles();
        _clock.Advance(TimeSpan.FromSeconds(2));

        var file = Assert.Single(_folder.CompleteFiles());
        Assert.True(_folder.Fail(file, "reason"));

        Assert.True(File.Exists(Path.Combine(_root, ".failed", name)));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(_root, ".failed")).Length);
    }

    [Fact]
    public void A_link_is_never_a_complete_file_and_failing_it_moves_the_link_not_its_target()
    {
        var target = Path.Combine(_outside, "target.txt");
        File.WriteAllText(target, "outside");
        var link = Path.Combine(_root, "link.txt");
        File.CreateSymbolicLink(link, target);
        _folder.CompleteFiles();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(_folder.CompleteFiles());

        Assert.True(_folder.Fail(new FileInfo(link), "a link"));

        var failed = new FileInfo(Path.Combine(_root, ".failed", "link.txt"));
        Assert.Equal(target, failed.LinkTarget);
        Assert.Equal("outside", File.ReadAllText(target));
    }

    [Fact]
    public async Task Links_are_set_aside_with_a_reason_and_never_published()
    {
        var secret = Path.Combine(_outside, "secret.txt");
        const string SecretText = "Outside secret\n\nNothing in this file may leave the machine through the pipeline.";
        File.WriteAllText(secret, SecretText);
        using var host = await StageConsumerTests.StartAsync(
            [PipelineStages.Ingest], builder => builder.Configuration["Ingest:SettleTime"] = "00:00:00.100");
        var harness = host.Services.GetTestHarness();
        var drop = host.Services.GetRequiredService<IConfiguration>()["Ingest:DropFolder"]!;
        // Inside: a regular file in a subfolder (which ingest never reads) behind a link in the drop folder itself.
        var inside = Path.Combine(Directory.CreateDirectory(Path.Combine(drop, "sub")).FullName, "inside.txt");
        File.WriteAllText(inside, SecretText);
        File.CreateSymbolicLink(Path.Combine(drop, "secret.txt"), secret);
        File.CreateSymbolicLink(Path.Combine(drop, "inside.txt"), inside);
        Directory.CreateSymbolicLink(Path.Combine(drop, "outside-folder"), _outside);

        var failed = Path.Combine(drop, ".failed");
        string[] links = ["secret.txt", "inside.txt", "outside-folder"];
        for (var tries = 0; tries < 100 && !links.All(l => File.Exists(Path.Combine(failed, l + DropFolder.ErrorSuffix))); tries++)
        {
            await Task.Delay(100);
        }

        foreach (var link in links)
        {
            Assert.Equal(DropFolder.LinkReason, File.ReadAllText(Path.Combine(failed, link + DropFolder.ErrorSuffix)).Trim());
            Assert.NotNull(new FileInfo(Path.Combine(failed, link)).LinkTarget);
            Assert.False(Path.Exists(Path.Combine(drop, link)));
        }

        Assert.Equal(3, harness.Published.Select<DocumentFailed>().Count());
        Assert.Empty(harness.Published.Select<DocumentIngested>());
        Assert.Equal(SecretText, File.ReadAllText(secret));
        Assert.Equal(SecretText, File.ReadAllText(inside));
    }

    [Fact]
    public async Task A_file_still_open_for_writing_is_taken_only_once_its_writer_closed_it()
    {
        using var host = await StartIngestAsync();
        var harness = host.Services.GetTestHarness();
        var path = Path.Combine(DropFolderOf(host), "slow.txt");
        byte[] whole;
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            await writer.WriteAsync("Part one\n\n"u8.ToArray());
            await writer.FlushAsync();
            // A writer that pauses for longer than the settle time (0.1 s) while it still has the file open.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            Assert.Empty(harness.Published.Select<DocumentIngested>());
            await writer.WriteAsync("Part two, the rest of the story.\n"u8.ToArray());
            whole = "Part one\n\nPart two, the rest of the story.\n"u8.ToArray();
        }

        var ingested = await PublishedAsync<DocumentIngested>(harness);
        Assert.Equal(DocumentId.FromContent(whole), ingested.DocumentId);
        Assert.Equal("slow.txt", ingested.FileName);
    }

    [Fact]
    public async Task A_file_whose_name_is_not_utf8_is_taken_under_that_name_read_as_latin1()
    {
        using var host = await StartIngestAsync();
        var harness = host.Services.GetTestHarness();
        var drop = DropFolderOf(host);
        Shell(drop, "printf 'Caf\\n\\nA story.\\n' > \"$(printf 'caf\\351.txt')\"");

        var ingested = await PublishedAsync<DocumentIngested>(harness);

        Assert.Equal("caf\u00E9.txt", ingested.FileName);
        Assert.True(File.Exists(Path.Combine(drop, ".archive", "caf\u00E9.txt")));
    }

    [Fact]
    public async Task A_hard_link_is_set_aside_with_a_reason_and_its_other_name_is_untouched()
    {
        var secret = Path.Combine(_outside, "secret.txt");
        const string SecretText = "Outside secret\n\nNothing in this file may leave the machine through the pipeline.";
        File.WriteAllText(secret, SecretText);
        using var host = await StartIngestAsync();
        var harness = host.Services.GetTestHarness();
        var drop = DropFolderOf(host);
        Shell(drop, $"ln '{secret}' h.txt");

        var failed = await PublishedAsync<DocumentFailed>(harness);

        Assert.Equal("h.txt", failed.FileName);
        Assert.StartsWith("hard link", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(failed.Reason, File.ReadAllText(Path.Combine(drop, ".failed", "h.txt" + DropFolder.ErrorSuffix)).Trim());
        Assert.Empty(harness.Published.Select<DocumentIngested>());
        Assert.Equal(SecretText, File.ReadAllText(secret));
    }

    [Fact]
    public async Task A_fifo_is_set_aside_as_not_a_regular_file_without_blocking_the_others()
    {
        using var host = await StartIngestAsync();
        var harness = host.Services.GetTestHarness();
        var drop = DropFolderOf(host);
        Shell(drop, "mkfifo pipe.txt");
        File.WriteAllText(Path.Combine(drop, "story.txt"), "A story\n\nIt comes after a pipe and is taken all the same.");

        var failed = await PublishedAsync<DocumentFailed>(harness);
        var ingested = await PublishedAsync<DocumentIngested>(harness);

        Assert.Equal(("pipe.txt", "not a regular file: FIFO"), (failed.FileName, failed.Reason));
        Assert.Equal("story.txt", ingested.FileName);
    }

    [Fact]
    public void A_file_is_claimed_by_exactly_one_replica_and_the_claim_folders_are_never_scanned()
    {
        var other = Replica("other");
        var path = Path.Combine(_root, "story.txt");
        File.WriteAllText(path, "text");
        _folder.CompleteFiles();
        other.CompleteFiles();
        _clock.Advance(TimeSpan.FromSeconds(2));
        var seenHere = Assert.Single(_folder.CompleteFiles());
        var seenThere = Assert.Single(other.CompleteFiles());

        var claimed = _folder.Claim(seenHere);

        Assert.NotNull(claimed);
        Assert.Equal(Path.Combine(_folder.OwnClaimPath, "story.txt"), claimed.FullName);
        Assert.Null(other.Claim(seenThere));
        Assert.False(File.Exists(path));
        _clock.Advance(TimeSpan.FromMinutes(1));
        foreach (var replica in new[] { _folder, other })
        {
            Assert.Empty(replica.CompleteFiles());
            Assert.Empty(replica.Links());
        }

        Assert.Equal("story.txt", Assert.Single(_folder.ClaimedFiles()).Name);
        Assert.Empty(other.ClaimedFiles());
    }

    [Fact]
    public void A_file_written_to_after_it_settled_goes_back_to_the_drop_folder_when_claimed()
    {
        var path = Path.Combine(_root, "story.txt");
        File.WriteAllText(path, "first half");
        _folder.CompleteFiles();
        _clock.Advance(TimeSpan.FromSeconds(2));
        var complete = Assert.Single(_folder.CompleteFiles());
        File.AppendAllText(path, " and the rest");

        Assert.Null(_folder.Claim(complete));

        Assert.Equal("first half and the rest", File.ReadAllText(path));
        Assert.Empty(_folder.ClaimedFiles());
    }

    [Fact]
    public void A_claim_left_by_a_dead_replica_goes_back_to_the_drop_folder_once_its_lease_expired()
    {
        var dead = Replica("dead");
        var claimed = ClaimNew(dead, "story.txt");
        var lease = _folder.Options.ClaimLease;

        Assert.Empty(_folder.RecoverExpiredClaims()); // First sight: the lease runs from now.
        _clock.Advance(lease - TimeSpan.FromSeconds(1));
        Assert.Empty(_folder.RecoverExpiredClaims());
        Assert.True(File.Exists(claimed.FullName));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(("dead", 1), Assert.Single(_folder.RecoverExpiredClaims()));

        Assert.True(File.Exists(Path.Combine(_root, "story.txt")));
        Assert.Equal([_folder.OwnClaimPath], Directory.GetDirectories(_folder.Options.ClaimsPath));
        Assert.Equal(LeaseRenewal.FolderTakenOver, dead.RenewLease()); // Had it only been paused, it learns it lost its claims.
    }

    [Fact]
    public void A_live_replicas_claim_is_never_taken()
    {
        var live = Replica("live");
        var claimed = ClaimNew(live, "story.txt");
        var other = Replica("other");

        // Five leases long by the observers' clock, renewed every half lease.
        for (var beat = 0; beat < 10; beat++)
        {
            Thread.Sleep(20); // Beats are seconds apart in a replica; file times here may be as coarse as a few milliseconds.
            Assert.All(new[] { live, other, _folder }, replica => Assert.Equal(LeaseRenewal.Renewed, replica.RenewLease()));
            _clock.Advance(live.Options.ClaimLease / 2);
            Assert.Empty(_folder.RecoverExpiredClaims());
            Assert.Empty(other.RecoverExpiredClaims());
        }

        Assert.True(File.Exists(claimed.FullName));
        Assert.Equal("story.txt", Assert.Single(live.ClaimedFiles()).Name);
    }

    [Fact]
    public void Two_running_replicas_with_one_id_are_told_apart_by_their_lease()
    {
        Replica("here"); // A second process with _folder's id: it writes the same lease.
        Thread.Sleep(20); // File times here may be as coarse as a few milliseconds.

        Assert.Equal(LeaseRenewal.SharedReplicaId, _folder.RenewLease());
    }

    [Fact]
    public void A_stopping_replica_hands_its_claims_back_at_once()
    {
        ClaimNew(_folder, "story.txt");

        Assert.Equal(1, _folder.ReleaseClaims());

        Assert.True(File.Exists(Path.Combine(_root, "story.txt")));
        Assert.Empty(Directory.GetDirectories(_folder.Options.ClaimsPath));
    }

    [Fact]
    public void Claims_are_never_recovered_through_a_link()
    {
        var outside = Directory.CreateDirectory(Path.Combine(_outside, "folder")).FullName;
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "outside");
        Directory.CreateSymbolicLink(Path.Combine(_folder.Options.ClaimsPath, "planted"), outside);

        _folder.RecoverExpiredClaims();
        _clock.Advance(_folder.Options.ClaimLease * 2);

        Assert.Empty(_folder.RecoverExpiredClaims());
        Assert.True(File.Exists(Path.Combine(outside, "secret.txt")));
        Assert.Empty(Directory.GetFiles(_root));
    }

    private static Task<IHost> StartIngestAsync() =>
        StageConsumerTests.StartAsync([PipelineStages.Ingest], builder => builder.Configuration["Ingest:SettleTime"] = "00:00:00.100");

    private static string DropFolderOf(IHost host) => host.Services.GetRequiredService<IConfiguration>()["Ingest:DropFolder"]!;

    /// <summary>The first message of a type published within ten seconds; the harness stops waiting once the bus is quiet, so poll.</summary>
    private static async Task<T> PublishedAsync<T>(ITestHarness harness)
        where T : class
    {
        for (var tries = 0; tries < 100 && !harness.Published.Select<T>().Any(); tries++)
        {
            await Task.Delay(100);
        }

        return Assert.Single(harness.Published.Select<T>()).Context.Message;
    }

    /// <summary>What .NET cannot make: hard links, FIFOs, names that are not UTF-8.</summary>
    private static void Shell(string folder, string command)
    {
        using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = folder })!;
        shell.WaitForExit();
        Assert.Equal(0, shell.ExitCode);
    }

    /// <summary>Another replica on the same drop folder and clock.</summary>
    private DropFolder Replica(string id)
    {
        var replica = new DropFolder(new IngestOptions { DropFolder = _root, SettleTime = TimeSpan.FromSeconds(1), ReplicaId = id }, _clock);
        replica.EnsureCreated();
        return replica;
    }

    private FileInfo ClaimNew(DropFolder replica, string name)
    {
        File.WriteAllText(Path.Combine(_root, name), "text");
        replica.CompleteFiles();
        _clock.Advance(TimeSpan.FromSeconds(2));
        return replica.Claim(Assert.Single(replica.CompleteFiles(), f => f.Name == name)) ?? throw new InvalidOperationException("not claimed");
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }
}
