using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.DeploymentTests;

/// <summary>
/// The deployment as users run it: <c>docker compose</c> on a real Docker engine with the repository's own
/// docker-compose.yml and Dockerfiles, a drop folder made by an ordinary user (not the containers' uid, mode
/// 755), two clean and two extract replicas, the seeds, the benchmark pages, files dropped twice and poison
/// files — while an extract container is killed and the broker and the database are restarted. Then every
/// distinct valid document is stored exactly once, every poison file is set aside with a reason, every
/// container is healthy, the drop folder is empty, and <c>down</c> and <c>up</c> again keep what was stored.
/// </summary>
public sealed class ComposeTests : IAsyncLifetime
{
    /// <summary>The drop folder's owner when the test runs as root: an ordinary user's uid, not the containers' 1654.</summary>
    private const int OrdinaryUser = 1000;

    /// <summary>What ingest writes beside a file it set aside (DropFolder.ErrorSuffix).</summary>
    private const string DropFolderErrorSuffix = ".error.txt";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-compose-").FullName;

    private string DropFolder => Path.Combine(_root, "drop");

    private string Staging => Path.Combine(_root, "staging");

    public Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Compose_stores_every_document_once_through_a_killed_worker_and_restarted_broker_and_database()
    {
        var files = InputFiles();
        var poison = PoisonFiles();
        var cleaner = new ArticleCleaner();
        var cleans = files.ToLookup(f => Cleans(cleaner, f.Content));
        var expected = cleans[true].Select(f => DocumentId.FromContent(f.Content)).ToHashSet();
        var refused = cleans[false].Select(f => f.Name).Concat(poison).ToList();
        PrepareFolders(files);

        var clock = Stopwatch.StartNew();
        await using var compose = new ComposeDeployment(DropFolder);
        await compose.RequireEngineAsync();
        await compose.ComposeAsync(TimeSpan.FromMinutes(15), "up", "-d", "--build", "--wait", "--scale", "clean=2", "--scale", "extract=2");
        var started = clock.Elapsed;
        // Published on loopback only, unless the operator chooses otherwise (PUBLISH_ADDRESS).
        Assert.StartsWith("127.0.0.1:", await compose.ComposeAsync(TimeSpan.FromSeconds(30), "port", "api", "8080"), StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", await compose.ComposeAsync(TimeSpan.FromSeconds(30), "port", "rabbitmq", "15672"), StringComparison.Ordinal);

        // The first half, then a worker killed while it works, the rest, the broker and the database restarted.
        var names = Directory.GetFiles(Staging).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Drop(names.Take(names.Count / 2));
        await WaitAsync(async () => await compose.StoredDocumentsAsync() >= 20, "the first documents stored");
        var killed = await compose.ContainerAsync("extract", 1);
        await compose.DockerAsync("kill", killed);
        Drop(names.Skip(names.Count / 2));
        await compose.ComposeAsync(TimeSpan.FromMinutes(2), "restart", "rabbitmq");
        await compose.ComposeAsync(TimeSpan.FromMinutes(2), "restart", "postgres");
        await compose.DockerAsync("start", killed);

        await WaitAsync(async () => await compose.StoredDocumentsAsync() == expected.Count && DropFolderIsEmpty(), "every document stored");
        await WaitAsync(async () => SetAside(await compose.ErrorQueueFaultsAsync()).Count == refused.Count, "every refused file set aside");
        await WaitAsync(async () => (await compose.ContainerStatesAsync()).Values.All(IsHealthy), "every container healthy");

        foreach (var id in expected)
        {
            using var response = await compose.Api.GetAsync($"api/documents/{id}");
            Assert.True(response.IsSuccessStatusCode, $"document {id}: {response.StatusCode}");
        }

        Assert.Equal(expected.Count, await compose.StoredDocumentsAsync());
        var setAside = SetAside(await compose.ErrorQueueFaultsAsync());
        Assert.Equal(refused.Order(StringComparer.Ordinal), setAside.Keys.Order(StringComparer.Ordinal));
        Assert.All(setAside, reason => Assert.False(string.IsNullOrWhiteSpace(reason.Value), $"{reason.Key}: no reason"));
        var failed = Directory.GetFiles(Path.Combine(DropFolder, ".failed")).Count(f => !f.EndsWith(DropFolderErrorSuffix, StringComparison.Ordinal));
        Assert.Equal(names.Count - failed, Directory.GetFiles(Path.Combine(DropFolder, ".archive")).Length);

        // A deployment that goes down and comes up again keeps its archive and its database.
        await compose.ComposeAsync(TimeSpan.FromMinutes(3), "down", "--timeout", "10");
        await compose.ComposeAsync(TimeSpan.FromMinutes(5), "up", "-d", "--wait", "--scale", "clean=2", "--scale", "extract=2");
        await WaitAsync(async () => await compose.StoredDocumentsAsync() == expected.Count, "the documents back after down and up");

        var inputs = files.Count + poison.Count;
        TestSummary.Write(
            "compose",
            $"compose: 2 clean, 2 extract; faults: 1 kill, 1 broker restart, 1 db restart; files: {inputs} in "
            + $"({files.Count - files.Select(f => DocumentId.FromContent(f.Content)).Distinct().Count()} dropped twice); "
            + $"documents: {expected.Count} expected, {expected.Count} stored, 0 lost, 0 duplicated; "
            + $"set aside with a reason: {setAside.Count} of {refused.Count}; down and up: {expected.Count} kept; "
            + $"up in {started.TotalSeconds:F0} s, {clock.Elapsed.TotalSeconds:F0} s in all");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    private static bool IsHealthy(string state) =>
        state.StartsWith("running", StringComparison.Ordinal) && state.Contains("(healthy)", StringComparison.Ordinal);

    private static bool Cleans(ArticleCleaner cleaner, byte[] content)
    {
        try
        {
            cleaner.Clean(content);
            return true;
        }
        catch (InvalidDocumentException)
        {
            return false;
        }
    }

    /// <summary>The seeds, every benchmark page as HTML and as scraped text, and five of them again under other names.</summary>
    private static List<(string Name, byte[] Content)> InputFiles()
    {
        var pages = RepositoryPaths.ArticlePages;
        var files = Directory.GetFiles(RepositoryPaths.Seeds)
            .Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)))
            .Concat(Directory.GetFiles(Path.Combine(pages, "html"), "*.html.gz").Select(path => (Path.GetFileName(path)[..^3], Gunzip(path))))
            .Concat(Directory.GetFiles(Path.Combine(pages, "text"), "*.txt").Select(path => (Path.GetFileName(path), File.ReadAllBytes(path))))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ToList();
        return [.. files, .. files.Take(5).Select(f => ("again-" + f.Item1, f.Item2))];
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Files no stage can make a document of; written by <see cref="PrepareFolders"/>.</summary>
    private static List<string> PoisonFiles() => ["empty.txt", "noise.bin", "scripts-only.html", "secret.txt"];

    private void PrepareFolders(List<(string Name, byte[] Content)> files)
    {
        Directory.CreateDirectory(DropFolder);
        Directory.CreateDirectory(Staging);
        foreach (var (name, content) in files)
        {
            File.WriteAllBytes(Path.Combine(Staging, name), content);
        }

        File.WriteAllBytes(Path.Combine(Staging, "empty.txt"), []);
        File.WriteAllBytes(Path.Combine(Staging, "noise.bin"), RandomBytes(4096));
        File.WriteAllText(Path.Combine(Staging, "scripts-only.html"), "<html><head><script>var a = 1;</script></head><body><script>run()</script></body></html>");
        // A link to a file the worker can read inside its container: whoever drops files must not read others.
        File.CreateSymbolicLink(Path.Combine(Staging, "secret.txt"), "/etc/passwd");

        // The drop folder of an ordinary user, as `mkdir` leaves it: owned by that user, mode 755.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(DropFolder, (UnixFileMode)0b111_101_101);
        if (Environment.UserName == "root")
        {
            Run("chown", "-hR", $"{OrdinaryUser}:{OrdinaryUser}", DropFolder, Staging);
        }
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Moves files from staging into the drop folder (a rename: each appears whole).</summary>
    private void Drop(IEnumerable<string?> names)
    {
        foreach (var name in names)
        {
            File.Move(Path.Combine(Staging, name!), Path.Combine(DropFolder, name!));
        }
    }

    private bool DropFolderIsEmpty() => Directory.GetFiles(DropFolder).Length == 0;

    /// <summary>Every file set aside and its reason: the failed folder's reason files and the error queues' faults.</summary>
    private Dictionary<string, string> SetAside(IReadOnlyList<(string Queue, string FileName, string Reason)> faults)
    {
        var reasons = faults.ToDictionary(f => f.FileName, f => f.Reason, StringComparer.Ordinal);
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

    private static async Task WaitAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not done after {Patience}: {what}");
            }

            await Task.Delay(1000);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
