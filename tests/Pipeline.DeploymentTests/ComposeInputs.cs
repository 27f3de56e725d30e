using System.Diagnostics;
using System.IO.Compression;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.DeploymentTests;

/// <summary>
/// The files the compose tests drop, and a drop folder as an ordinary user makes it (owned by that user, not the
/// containers' uid 1654; mode 755) with a staging folder beside it, from which files are moved in whole.
/// </summary>
internal sealed class ComposeInputs : IDisposable
{
    /// <summary>The drop folder's owner when the test runs as root: an ordinary user's uid, not the containers' 1654.</summary>
    private const int OrdinaryUser = 1000;

    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-compose-").FullName;

    public ComposeInputs()
    {
        Directory.CreateDirectory(DropFolder);
        Directory.CreateDirectory(Staging);
    }

    public string DropFolder => Path.Combine(_root, "drop");

    public string Staging => Path.Combine(_root, "staging");

    public bool DropFolderIsEmpty => Directory.GetFiles(DropFolder).Length == 0;

    /// <summary>The seeds.</summary>
    public static List<(string Name, byte[] Content)> Seeds() =>
        [.. Directory.GetFiles(RepositoryPaths.Seeds).Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)))];

    /// <summary>The benchmark pages as HTML.</summary>
    public static List<(string Name, byte[] Content)> HtmlPages() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryPaths.ArticlePages, "html"), "*.html.gz")
            .Select(path => (Path.GetFileName(path)[..^3], Gunzip(path)))];

    /// <summary>The benchmark pages as scraped text.</summary>
    public static List<(string Name, byte[] Content)> TextPages() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryPaths.ArticlePages, "text"), "*.txt")
            .Select(path => (Path.GetFileName(path), File.ReadAllBytes(path)))];

    /// <summary>
    /// Stories of 17, 21 and 60 MiB, generated: over RabbitMQ 4's 16 MiB limit on a message, under ingest's 64 MiB
    /// on a file. Each with what the clean stage makes of it.
    /// </summary>
    public static List<LargePage> LargePages()
    {
        var cleaner = new ArticleCleaner();
        return [.. new[] { 17, 21, 60 }.Select(mebibytes =>
        {
            var name = $"large-{mebibytes}mib.txt";
            var content = LargeStories.Of(mebibytes * 1024 * 1024);
            var article = cleaner.Clean(content, name);
            return new LargePage(name, content, article.Title, article.Text.Length);
        })];
    }

    /// <summary>The distinct documents the clean stage makes of these files (the others it refuses).</summary>
    public static HashSet<string> DocumentsOf(IEnumerable<(string Name, byte[] Content)> files)
    {
        var cleaner = new ArticleCleaner();
        return [.. files.Where(f => Cleans(cleaner, f.Content)).Select(f => DocumentId.FromContent(f.Content))];
    }

    public static bool Cleans(ArticleCleaner cleaner, byte[] content)
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

    /// <summary>Writes the files to the staging folder.</summary>
    public void Stage(IEnumerable<(string Name, byte[] Content)> files)
    {
        foreach (var (name, content) in files)
        {
            File.WriteAllBytes(Path.Combine(Staging, name), content);
        }
    }

    /// <summary>Hands both folders to an ordinary user, as `mkdir` leaves a drop folder: owned by that user, mode 755.</summary>
    public void HandToOrdinaryUser()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(DropFolder, (UnixFileMode)0b111_101_101);
        if (Environment.UserName == "root")
        {
            using var chown = Process.Start("chown", ["-hR", $"{OrdinaryUser}:{OrdinaryUser}", DropFolder, Staging]);
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }
    }

    /// <summary>Moves files from staging into the drop folder (a rename: each appears whole).</summary>
    public void Drop(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            File.Move(Path.Combine(Staging, name), Path.Combine(DropFolder, name));
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }
}

/// <summary>A generated page too large for one broker message, and the title and text length clean gives it.</summary>
internal sealed record LargePage(string Name, byte[] Content, string Title, int TextLength)
{
    public string Id { get; } = DocumentId.FromContent(Content);

    public string Size => $"{Content.Length / (1024 * 1024)} MiB";
}
