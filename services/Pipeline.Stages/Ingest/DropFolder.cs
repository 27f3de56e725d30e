using System.Collections.Concurrent;
using Polly;
using Polly.Retry;

namespace Pipeline.Stages.Ingest;

/// <summary>
/// The file-system side of ingest, without the bus: which files are complete, and moving a file to the
/// archive or the failed folder. Moves never overwrite, so nothing already archived is lost. Symbolic links are
/// never followed: whoever can write to the drop folder could otherwise have any file the process can read
/// (<c>/etc/passwd</c>, a key) ingested, stored and served.
/// </summary>
public sealed class DropFolder(IngestOptions options, TimeProvider clock)
{
    /// <summary>Ending of the file beside a failed one that says why it failed.</summary>
    public const string ErrorSuffix = ".error.txt";

    /// <summary>Why a link in the drop folder was set aside.</summary>
    public const string LinkReason = "symbolic link: ingest takes only regular files in the drop folder and never follows links";

    private readonly ConcurrentDictionary<string, (long Length, DateTime WriteTime, DateTimeOffset Since)> _seen = new();

    /// <summary>
    /// File-system calls retry a passing I/O error (a sharing violation, a busy network share, two ingest
    /// processes racing for one name) with back-off; a file that is gone is not retried.
    /// </summary>
    private static readonly ResiliencePipeline FileRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<IOException>(e => e is not (FileNotFoundException or DirectoryNotFoundException)),
            MaxRetryAttempts = 4,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(100),
            UseJitter = true,
        })
        .Build();

    public IngestOptions Options => options;

    /// <summary>Reads a whole file, retrying passing I/O errors.</summary>
    public static ValueTask<byte[]> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return FileRetry.ExecuteAsync(async ct => await File.ReadAllBytesAsync(file.FullName, ct), cancellationToken);
    }

    public void EnsureCreated()
    {
        Directory.CreateDirectory(options.DropFolder);
        Directory.CreateDirectory(options.ArchivePath);
        Directory.CreateDirectory(options.FailedPath);
    }

    /// <summary>
    /// Files that look complete: not a temporary name, not a link, and unchanged in size and time for the settle
    /// time. A file seen for the first time is remembered and returned by a later call.
    /// </summary>
    public IReadOnlyList<FileInfo> CompleteFiles()
    {
        var now = clock.GetUtcNow();
        var complete = new List<FileInfo>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new DirectoryInfo(options.DropFolder).EnumerateFiles())
        {
            if (IsIgnored(file.Name) || IsLink(file))
            {
                continue;
            }

            present.Add(file.FullName);
            var state = (file.Length, file.LastWriteTimeUtc);
            var seen = _seen.AddOrUpdate(
                file.FullName,
                _ => (state.Length, state.LastWriteTimeUtc, now),
                (_, old) => old.Length == state.Length && old.WriteTime == state.LastWriteTimeUtc
                    ? old
                    : (state.Length, state.LastWriteTimeUtc, now));
            if (now - seen.Since >= options.SettleTime)
            {
                complete.Add(file);
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)))
        {
            _seen.TryRemove(gone, out _);
        }

        return complete;
    }

    /// <summary>
    /// Symbolic links (to files or folders, inside the drop folder or out of it, dangling or not) in the drop
    /// folder, to be set aside with <see cref="Fail"/>: ingest never reads through them.
    /// </summary>
    public IReadOnlyList<FileSystemInfo> Links() =>
        [.. new DirectoryInfo(options.DropFolder).EnumerateFileSystemInfos().Where(e => !IsIgnored(e.Name) && IsLink(e))];

    /// <summary>
    /// True while the file still has the size and time it had when it was found complete, and is still no link
    /// (a file swapped for a link while it was read must not be published).
    /// </summary>
    public static bool IsUnchanged(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var now = new FileInfo(file.FullName);
        return now.Exists && !IsLink(now) && now.Length == file.Length && now.LastWriteTimeUtc == file.LastWriteTimeUtc;
    }

    // The attribute comes from the directory entry itself (lstat), never from what a link points at.
    private static bool IsLink(FileSystemInfo entry) => entry.Attributes.HasFlag(FileAttributes.ReparsePoint);

    public bool IsIgnored(string name) =>
        name.StartsWith('.') || options.IgnoredSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Moves a published file to the archive. False when another ingest process took it first.</summary>
    public bool Archive(FileInfo file) => MoveAside(file, options.ArchivePath);

    /// <summary>
    /// Moves a file that cannot be processed (or a link, itself and not what it points at) to the failed
    /// folder, with the reason beside it.
    /// </summary>
    public bool Fail(FileSystemInfo file, string reason)
    {
        ArgumentNullException.ThrowIfNull(file);
        var target = UniqueTarget(options.FailedPath, file.Name);
        // The reason is written first: a crash between the two steps leaves the file in the drop folder, to be tried again.
        File.WriteAllText(target + ErrorSuffix, reason.ReplaceLineEndings(" ") + Environment.NewLine);
        if (Move(file, target))
        {
            return true;
        }

        File.Delete(target + ErrorSuffix); // Another ingest process set the file aside first, with its own reason.
        return false;
    }

    /// <summary>How many files ingest has taken out of the drop folder so far: those archived and those set aside.</summary>
    public int TakenCount() =>
        (Directory.Exists(options.ArchivePath) ? Directory.EnumerateFileSystemEntries(options.ArchivePath).Count() : 0)
        + FailedFiles().Count();

    /// <summary>The files in the failed folder, each with the reason written beside it.</summary>
    public IEnumerable<(FileSystemInfo File, string Reason)> FailedFiles()
    {
        if (!Directory.Exists(options.FailedPath))
        {
            yield break;
        }

        // File system entries, not files: a link to a folder set aside is listed too.
        foreach (var file in new DirectoryInfo(options.FailedPath).EnumerateFileSystemInfos().Where(f => !f.Name.EndsWith(ErrorSuffix, StringComparison.Ordinal)))
        {
            var reasonFile = file.FullName + ErrorSuffix;
            yield return (file, File.Exists(reasonFile) ? File.ReadAllText(reasonFile).Trim() : "no reason recorded");
        }
    }

    /// <summary>Puts a failed file back into the drop folder for another try (after a fix), dropping its reason.</summary>
    public bool Retry(FileSystemInfo failed)
    {
        ArgumentNullException.ThrowIfNull(failed);
        if (!MoveAside(failed, options.DropFolder))
        {
            return false;
        }

        File.Delete(failed.FullName + ErrorSuffix);
        return true;
    }

    private bool MoveAside(FileSystemInfo file, string folder)
    {
        ArgumentNullException.ThrowIfNull(file);
        // A fresh unique name on every try: another process may have taken the last one meanwhile.
        return FileRetry.Execute(() => Move(file, UniqueTarget(folder, file.Name)));
    }

    private bool Move(FileSystemInfo file, string target)
    {
        try
        {
            // Both rename the entry itself: a link moves as a link, its target stays where it is.
            if (file is DirectoryInfo)
            {
                Directory.Move(file.FullName, target);
            }
            else
            {
                File.Move(file.FullName, target, overwrite: false);
            }

            _seen.TryRemove(file.FullName, out _);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static string UniqueTarget(string folder, string name)
    {
        var target = Path.Combine(folder, name);
        for (var n = 1; Path.Exists(target) || File.Exists(target + ErrorSuffix); n++)
        {
            target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(name)}.{n}{Path.GetExtension(name)}");
        }

        return target;
    }
}
