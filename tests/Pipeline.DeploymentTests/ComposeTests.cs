using System.Diagnostics;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.DeploymentTests;

/// <summary>
/// The deployment as users run it: <c>docker compose</c> on a real Docker engine with the repository's own
/// docker-compose.yml and Dockerfiles, a drop folder made by an ordinary user (not the containers' uid, mode
/// 755), two clean and two extract replicas, the seeds, the benchmark pages, pages of 17, 21 and 60 MiB (over
/// the broker's 16 MiB limit on a message), files dropped twice and poison files — while an extract container is killed and the broker and the database are restarted. Then every
/// distinct valid document is stored exactly once (the large pages whole), every poison file is set aside with a reason, every
/// container is healthy, the drop folder is empty, and <c>down</c> and <c>up</c> again keep what was stored.
/// </summary>
[Collection(ComposeRuns.Name)]
[Trait("Category", "Servers")]
public sealed class ComposeTests : IDisposable
{
    /// <summary>What ingest writes beside a file it set aside (DropFolder.ErrorSuffix).</summary>
    private const string DropFolderErrorSuffix = ".error.txt";

    private readonly ComposeInputs _inputs = new();

    private string DropFolder => _inputs.DropFolder;

    [Fact]
    public async Task Compose_stores_every_document_once_through_a_killed_worker_and_restarted_broker_and_database()
    {
        var files = InputFiles();
        var poison = PoisonFiles();
        var large = ComposeInputs.LargePages();
        var cleaner = new ArticleCleaner();
        var cleans = files.ToLookup(f => ComposeInputs.Cleans(cleaner, f.Content));
        var expected = cleans[true].Select(f => DocumentId.FromContent(f.Content)).Concat(large.Select(p => p.Id)).ToHashSet();
        var refused = cleans[false].Select(f => f.Name).Concat(poison).ToList();
        PrepareFolders([.. files, .. large.Select(p => (p.Name, p.Content))]);

        var clock = Stopwatch.StartNew();
        await using var compose = new ComposeDeployment(DropFolder);
        await compose.RequireEngineAsync();
        await compose.ComposeAsync(TimeSpan.FromMinutes(15), "up", "-d", "--build", "--wait", "--scale", "clean=2", "--scale", "extract=2");
        var started = clock.Elapsed;
        // Published on loopback only, unless the operator chooses otherwise (PUBLISH_ADDRESS).
        Assert.StartsWith("127.0.0.1:", await compose.ComposeAsync(TimeSpan.FromSeconds(30), "port", "api", "8080"), StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", await compose.ComposeAsync(TimeSpan.FromSeconds(30), "port", "rabbitmq", "15672"), StringComparison.Ordinal);

        // The first half, then a worker killed while it works, the rest (the large pages among them), the broker and
        // the database restarted.
        var names = Directory.GetFiles(_inputs.Staging).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        _inputs.Drop(names.Take(names.Count / 2));
        await ComposeDeployment.WaitAsync(async () => await compose.StoredDocumentsAsync() >= 20, "the first documents stored");
        var killed = await compose.ContainerAsync("extract", 1);
        await compose.DockerAsync("kill", killed);
        _inputs.Drop(names.Skip(names.Count / 2));
        await compose.ComposeAsync(TimeSpan.FromMinutes(2), "restart", "rabbitmq");
        await compose.ComposeAsync(TimeSpan.FromMinutes(2), "restart", "postgres");
        await compose.DockerAsync("start", killed);

        await ComposeDeployment.WaitAsync(
            async () => await compose.StoredDocumentsAsync() == expected.Count && _inputs.DropFolderIsEmpty,
            "every document stored",
            () => compose.StoredStateAsync(expected.Count, _inputs));
        await ComposeDeployment.WaitAsync(async () => SetAside(await compose.ErrorQueueFaultsAsync()).Count == refused.Count, "every refused file set aside");
        await ComposeDeployment.WaitAsync(async () => (await compose.ContainerStatesAsync()).Values.All(ComposeDeployment.IsHealthy), "every container healthy");

        foreach (var id in expected)
        {
            using var response = await compose.Api.GetAsync($"api/documents/{id}");
            Assert.True(response.IsSuccessStatusCode, $"document {id}: {response.StatusCode}");
        }

        Assert.Equal(expected.Count, await compose.StoredDocumentsAsync());
        // The fifth stage decided every stored document: its story, its original, its entities.
        var unrelated = expected.ToHashSet();
        await ComposeDeployment.WaitAsync(async () => await compose.RemoveRelatedAsync(unrelated) == 0, "every document related");
        foreach (var page in large)
        {
            await compose.AssertStoredWholeAsync(page);
        }

        var setAside = SetAside(await compose.ErrorQueueFaultsAsync());
        Assert.Equal(refused.Order(StringComparer.Ordinal), setAside.Keys.Order(StringComparer.Ordinal));
        Assert.All(setAside, reason => Assert.False(string.IsNullOrWhiteSpace(reason.Value), $"{reason.Key}: no reason"));
        var failed = Directory.GetFiles(Path.Combine(DropFolder, ".failed")).Count(f => !f.EndsWith(DropFolderErrorSuffix, StringComparison.Ordinal));
        Assert.Equal(names.Count - failed, Directory.GetFiles(Path.Combine(DropFolder, ".archive")).Length);

        // A deployment that goes down and comes up again keeps its archive and its database.
        await compose.ComposeAsync(TimeSpan.FromMinutes(3), "down", "--timeout", "10");
        await compose.ComposeAsync(TimeSpan.FromMinutes(5), "up", "-d", "--wait", "--scale", "clean=2", "--scale", "extract=2");
        await ComposeDeployment.WaitAsync(async () => await compose.StoredDocumentsAsync() == expected.Count, "the documents back after down and up");

        var inputs = files.Count + large.Count + poison.Count;
        TestSummary.Write(
            "compose",
            $"compose: 2 clean, 2 extract; faults: 1 kill, 1 broker restart, 1 db restart; files: {inputs} in "
            + $"({files.Count - files.Select(f => DocumentId.FromContent(f.Content)).Distinct().Count()} dropped twice); "
            + $"documents: {expected.Count} expected, {expected.Count} stored, 0 lost, 0 duplicated, all related; "
            + $"large pages: {string.Join(", ", large.Select(p => p.Size))} stored whole; "
            + $"set aside with a reason: {setAside.Count} of {refused.Count}; down and up: {expected.Count} kept; "
            + $"up in {started.TotalSeconds:F0} s, {clock.Elapsed.TotalSeconds:F0} s in all");
    }

    public void Dispose() => _inputs.Dispose();

    /// <summary>The seeds, every benchmark page as HTML and as scraped text, and five of them again under other names.</summary>
    private static List<(string Name, byte[] Content)> InputFiles()
    {
        var files = ComposeInputs.Seeds().Concat(ComposeInputs.HtmlPages()).Concat(ComposeInputs.TextPages())
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        return [.. files, .. files.Take(5).Select(f => ("again-" + f.Name, f.Content))];
    }

    /// <summary>Files no stage can make a document of; written by <see cref="PrepareFolders"/>.</summary>
    private static List<string> PoisonFiles() => ["empty.txt", "noise.bin", "scripts-only.html", "secret.txt"];

    private void PrepareFolders(List<(string Name, byte[] Content)> files)
    {
        var staging = _inputs.Staging;
        _inputs.Stage(files);
        File.WriteAllBytes(Path.Combine(staging, "empty.txt"), []);
        File.WriteAllBytes(Path.Combine(staging, "noise.bin"), RandomBytes(4096));
        File.WriteAllText(Path.Combine(staging, "scripts-only.html"), "<html><head><script>var a = 1;</script></head><body><script>run()</script></body></html>");
        // A link to a file the worker can read inside its container: whoever drops files must not read others.
        File.CreateSymbolicLink(Path.Combine(staging, "secret.txt"), "/etc/passwd");
        _inputs.HandToOrdinaryUser();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Every file set aside and its reason: the failed folder's reason files and the error queues' faults.</summary>
    private Dictionary<string, string> SetAside(IReadOnlyList<(string Queue, string FileName, string Reason)> faults)
    {
        // A fault whose acknowledgement is lost when the broker restarts is redelivered and faults again, so one file
        // can be in an error queue twice (at-least-once delivery); it is still one file set aside.
        var reasons = faults.GroupBy(f => f.FileName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Reason, StringComparer.Ordinal);
        var failed = Path.Combine(DropFolder, ".failed");
        if (Directory.Exists(failed))
        {
            foreach (var reason in Directory.GetFiles(failed, "*" + DropFolderErrorSuffix))
            {
                reasons[Path.GetFileName(reason)[..^DropFolderErrorSuffix.Length]] = File.ReadAllText(reason);
            }
        }

        return reasons;
    }
}
