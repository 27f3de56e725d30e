using System.Collections.Concurrent;
using System.Text;
using Pipeline.Contracts;
using Polly;
using Polly.Retry;

namespace Pipeline.Stages.Ingest;

/// <summary>
/// The file-system side of ingest, without the bus: which files are complete, claiming a file for this replica,
/// and moving a file to the archive or the failed folder. Moves never overwrite, so nothing already archived is lost.
/// Symbolic links are never followed: whoever can write to the drop folder could otherwise have any file the process
/// can read (<c>/etc/passwd</c>, a key) ingested, stored and served.
/// </summary>
/// <remarks>
/// Several replicas share one drop folder through claims. A replica takes a file by renaming it into its own claim
/// folder (<see cref="IngestOptions.ClaimsPath"/>/<see cref="IngestOptions.ReplicaId"/>): a rename is atomic, so of
/// replicas racing for one file exactly one wins, and the file is only ever in one place. A replica renews a lease
/// file in its claim folder; once a lease stops changing for <see cref="IngestOptions.ClaimLease"/> the others take the
/// whole folder away with one rename (one of them wins) and move its files back into the drop folder.
/// </remarks>
public sealed class DropFolder(IngestOptions options, TimeProvider clock)
{
    /// <summary>Ending of the file beside a failed one that says why it failed.</summary>
    public const string ErrorSuffix = ".error.txt";

    /// <summary>Why a link in the drop folder was set aside.</summary>
    public const string LinkReason = "symbolic link: ingest takes only regular files in the drop folder and never follows links";

    /// <summary>The lease file in a claim folder, and the name it is written under before it replaces the lease.</summary>
    private const string LeaseName = ".lease";
    private const string NewLeaseName = ".lease.new";

    private readonly ConcurrentDictionary<string, (long Length, DateTime WriteTime, DateTimeOffset Since)> _seen = new();

    /// <summary>Other replicas' leases as this replica last saw them, and since when (its own monotonic clock).</summary>
    private readonly Dictionary<string, (LeaseState Lease, long Since)> _leases = new(StringComparer.Ordinal);

    /// <summary>Written into each lease beat, for an operator reading it: which process holds the claim folder.</summary>
    private readonly string _leaseHolder = Guid.NewGuid().ToString("N");
    private long _leaseBeats;
    private LeaseState? _lastLease;

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

    /// <summary>This replica's claim folder.</summary>
    public string OwnClaimPath => Path.Combine(options.ClaimsPath, options.ReplicaId);

    /// <summary>
    /// Reads a whole file, retrying passing I/O errors. Null while some process still has it open for writing, as a
    /// writer pausing longer than the settle time has (where the kernel tells: <see cref="UnixFiles.IsOpenForWriting"/>).
    /// </summary>
    public static ValueTask<byte[]?> ReadAsync(FileInfo file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        return FileRetry.ExecuteAsync<byte[]?>(
            async ct =>
            {
                using var handle = File.OpenHandle(file.FullName);
                if (UnixFiles.IsOpenForWriting(handle))
                {
                    return null;
                }

                // One array of the file's size, as File.ReadAllBytesAsync reads: a growing stream copied out at the end
                // held about three times the file. A file that changes meanwhile is caught by IsUnchanged afterwards.
                var content = new byte[RandomAccess.GetLength(handle)];
                var read = 0;
                while (read < content.Length && await RandomAccess.ReadAsync(handle, content.AsMemory(read), read, ct) is > 0 and var count)
                {
                    read += count;
                }

                return read == content.Length ? content : content[..read];
            },
            cancellationToken);
    }

    /// <summary>
    /// Why a file is no document to read, or null. Only a regular file with one name is read, judged from the entry
    /// itself before it is opened: opening a FIFO blocks until someone writes to it, and a device never ends. A file
    /// with a second name (a hard link) may be any file on this file system, <c>/etc/shadow</c> as well, that whoever
    /// can write to the drop folder could otherwise have ingested, stored and served.
    /// </summary>
    public static string? RefusalReason(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var (notRegular, names) = UnixFiles.Status(file.FullName);
        return notRegular is not null ? $"not a regular file: {notRegular}"
            : names > 1 ? $"hard link: the file has {names} names, and ingest takes only files with one (another name may be any file on this file system)"
            : null;
    }

    /// <summary>
    /// Renames each file in the drop folder whose name is not UTF-8 (which .NET can neither open nor move) to that name
    /// read as Latin-1, where each byte is one character, so that <c>caf\xE9.txt</c> becomes <c>café.txt</c>; never
    /// over another file. Returns each old name, its other bytes escaped, with the new one.
    /// </summary>
    public IReadOnlyList<(string From, string To)> RenameUndecodableNames()
    {
        var renamed = new List<(string, string)>();
        foreach (var name in UnixFiles.UndecodableNames(options.DropFolder))
        {
            var readable = Encoding.Latin1.GetString(name);
            if (IsIgnored(readable))
            {
                continue; // Its writer renames it once done, and would not find it under another name.
            }

            string target;
            do
            {
                target = UniqueTarget(options.DropFolder, readable);
            }
            while (!UnixFiles.Rename(options.DropFolder, name, target));

            renamed.Add((UnixFiles.Escaped(name), Path.GetFileName(target)));
        }

        return renamed;
    }

    /// <summary>Creates the folders and this replica's claim folder with its first lease.</summary>
    public void EnsureCreated()
    {
        var id = options.ReplicaId;
        if (id.Length == 0 || id.StartsWith('.') || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id.Contains('\\', StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Ingest:ReplicaId '{id}' cannot name a claim folder: it must be a plain file name, not starting with '.'");
        }

        if (options.ClaimLease <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"Ingest:ClaimLease must be positive, not {options.ClaimLease}");
        }

        Directory.CreateDirectory(options.DropFolder);
        Directory.CreateDirectory(options.ArchivePath);
        Directory.CreateDirectory(options.FailedPath);
        RenewLease();
    }

    /// <summary>
    /// Writes this replica's lease anew, making its claim folder again if another replica took it over meanwhile.
    /// The lease is written under another name and renamed over the old one, so a link planted as the lease is
    /// replaced, never written through.
    /// </summary>
    public LeaseRenewal RenewLease()
    {
        var claimFolder = OwnClaimPath;
        var renewal = _lastLease is null ? LeaseRenewal.Renewed
            : !Directory.Exists(claimFolder) ? LeaseRenewal.FolderTakenOver
            : Lease(claimFolder) != _lastLease ? LeaseRenewal.SharedReplicaId
            : LeaseRenewal.Renewed;
        CreateRealFolder(options.ClaimsPath);
        CreateRealFolder(claimFolder);
        var newLease = Path.Combine(claimFolder, NewLeaseName);
        File.Delete(newLease);
        using (var writer = new StreamWriter(new FileStream(newLease, FileMode.CreateNew, FileAccess.Write)))
        {
            // Who holds it and the beat number: the size and time change with every beat, and an operator can read it.
            writer.Write($"{options.ReplicaId} {_leaseHolder} {++_leaseBeats} {clock.GetUtcNow():O}");
        }

        File.Move(newLease, Path.Combine(claimFolder, LeaseName), overwrite: true);
        _lastLease = Lease(claimFolder);
        return renewal;
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
    /// folder or this replica's claim folder, to be set aside with <see cref="Fail"/>: ingest never reads through them.
    /// </summary>
    public IReadOnlyList<FileSystemInfo> Links() =>
        [.. new DirectoryInfo(options.DropFolder).EnumerateFileSystemInfos().Concat(OwnClaims()).Where(e => !IsIgnored(e.Name) && IsLink(e))];

    /// <summary>
    /// Claims a complete file for this replica with one rename into its claim folder, which only one replica can win.
    /// Null when another replica took the file first, or when it changed since it was found complete (a writer still
    /// has it open): then it goes back to the drop folder to settle again.
    /// </summary>
    public FileInfo? Claim(FileInfo complete)
    {
        ArgumentNullException.ThrowIfNull(complete);
        var target = Path.Combine(OwnClaimPath, complete.Name);
        if (Path.Exists(target))
        {
            return null; // One of that name is still being ingested here; this one waits for the next pass.
        }

        try
        {
            FileRetry.Execute(() => File.Move(complete.FullName, target, overwrite: false));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null; // Another replica took it (or took over this replica's folder, which the next lease renewal makes again).
        }
        finally
        {
            _seen.TryRemove(complete.FullName, out _);
        }

        var claimed = new FileInfo(target);
        if (IsSame(claimed, complete))
        {
            return claimed;
        }

        Release(claimed);
        return null;
    }

    /// <summary>
    /// Files in this replica's claim folder, all of them held over from an earlier pass: a publish that timed out, a
    /// claim whose rename succeeded though a network share reported it failed, or a restart under the same replica id.
    /// </summary>
    public IReadOnlyList<FileInfo> ClaimedFiles() =>
        [.. OwnClaims().OfType<FileInfo>().Where(f => !IsIgnored(f.Name) && !IsLink(f))];

    /// <summary>Puts a claimed file back into the drop folder (it changed while it was read), for any replica to take.</summary>
    public bool Release(FileInfo claimed) => MoveAside(claimed, options.DropFolder);

    /// <summary>
    /// On a clean stop: everything this replica still holds goes back to the drop folder at once, rather than after
    /// its lease expired, and its claim folder is removed. Returns how many files went back.
    /// </summary>
    public int ReleaseClaims() => Directory.Exists(OwnClaimPath) ? ReturnToDropFolder(OwnClaimPath) : 0;

    /// <summary>
    /// Takes back the claims of replicas that stopped renewing their lease. A claim folder whose lease kept its size and
    /// time for <see cref="IngestOptions.ClaimLease"/>, measured on this process's own monotonic clock (other hosts'
    /// clocks never matter), is renamed away in one step — of replicas racing for it one wins, and a holder that was
    /// only paused finds it gone — and its files go back to the drop folder. A claim folder seen for the first time
    /// gets a whole lease from then. Returns each folder recovered with the number of files it held.
    /// </summary>
    public IReadOnlyList<(string ClaimFolder, int Files)> RecoverExpiredClaims()
    {
        var claims = new DirectoryInfo(options.ClaimsPath);
        if (!claims.Exists || IsLink(claims))
        {
            return []; // Through a link, ingest would move files from wherever it points into the drop folder.
        }

        var now = clock.GetTimestamp();
        var recovered = new List<(string, int)>();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in claims.EnumerateDirectories().Where(d => d.Name != options.ReplicaId && !IsLink(d)).ToList())
        {
            present.Add(folder.Name);
            var lease = Lease(folder.FullName);
            if (!_leases.TryGetValue(folder.Name, out var seen) || seen.Lease != lease)
            {
                _leases[folder.Name] = (lease, now);
                continue;
            }

            if (clock.GetElapsedTime(seen.Since, now) < options.ClaimLease || Lease(folder.FullName) != lease)
            {
                continue;
            }

            var taken = Path.Combine(options.ClaimsPath, $".recovering-{Guid.NewGuid():N}");
            try
            {
                Directory.Move(folder.FullName, taken);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // Another replica recovered it first.
            }

            recovered.Add((folder.Name, ReturnToDropFolder(taken)));
        }

        foreach (var gone in _leases.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _leases.Remove(gone);
        }

        return recovered;
    }

    /// <summary>Whether any file still waits to be published: in the drop folder, or claimed by any replica.</summary>
    public bool AnyWaiting()
    {
        var claims = new DirectoryInfo(options.ClaimsPath);
        var claimFolders = claims.Exists && !IsLink(claims) ? claims.EnumerateDirectories().Where(d => !IsLink(d)) : [];
        return claimFolders.Prepend(new DirectoryInfo(options.DropFolder)).Any(d => d.EnumerateFiles().Any(f => !f.Name.StartsWith('.')));
    }

    /// <summary>
    /// True while the file still has the size and time it had when it was found complete, and is still no link
    /// (a file swapped for a link while it was read must not be published).
    /// </summary>
    public static bool IsUnchanged(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return IsSame(new FileInfo(file.FullName), file);
    }

    private static bool IsSame(FileInfo now, FileInfo before) =>
        now.Exists && !IsLink(now) && now.Length == before.Length && now.LastWriteTimeUtc == before.LastWriteTimeUtc;

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

    /// <summary>
    /// Moves the archived file of a document that failed after ingest to the failed folder, with the reason beside
    /// it: where error queues end with the process (<c>pipeline run</c>), the failed folder is the failure's record,
    /// and what <c>replay --stage ingest</c> takes back. False while no archived file of that name holds that
    /// document (ingest archives a file just after it publishes it).
    /// </summary>
    public bool FailArchived(string documentId, string fileName, string reason)
    {
        if (!Directory.Exists(options.ArchivePath))
        {
            return false;
        }

        // The archive keeps a second file of one name as "name.1.ext" (UniqueTarget); the content tells which is this one.
        var stem = Path.GetFileNameWithoutExtension(fileName) + ".";
        var extension = Path.GetExtension(fileName);
        var archived = new DirectoryInfo(options.ArchivePath).EnumerateFiles()
            .FirstOrDefault(f => IsArchivedAs(f.Name) && DocumentId.FromContent(File.ReadAllBytes(f.FullName)) == documentId);
        return archived is not null && Fail(archived, reason);

        bool IsArchivedAs(string name) =>
            name == fileName
                || (name.Length > stem.Length + extension.Length
                    && name.StartsWith(stem, StringComparison.Ordinal)
                    && name.EndsWith(extension, StringComparison.Ordinal)
                    && !name.AsSpan(stem.Length, name.Length - stem.Length - extension.Length).ContainsAnyExceptInRange('0', '9'));
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

    /// <summary>The entries of this replica's claim folder; none while another replica has taken it over.</summary>
    private IEnumerable<FileSystemInfo> OwnClaims()
    {
        var claimFolder = new DirectoryInfo(OwnClaimPath);
        return claimFolder.Exists ? claimFolder.EnumerateFileSystemInfos() : [];
    }

    /// <summary>
    /// Moves every entry of a claim folder but its lease back to the drop folder, then removes the folder. A folder
    /// something stayed in (a move that kept failing) is left, to be recovered again once its lease expired.
    /// </summary>
    private int ReturnToDropFolder(string claimFolder)
    {
        var returned = new DirectoryInfo(claimFolder).EnumerateFileSystemInfos()
            .Where(e => !e.Name.StartsWith('.')).ToList()
            .Count(e => MoveAside(e, options.DropFolder));
        File.Delete(Path.Combine(claimFolder, LeaseName));
        File.Delete(Path.Combine(claimFolder, NewLeaseName));
        try
        {
            Directory.Delete(claimFolder);
        }
        catch (IOException)
        {
            // Not empty: left to be recovered again.
        }

        return returned;
    }

    /// <summary>The lease's size and time, read from the entry itself; the file is never opened.</summary>
    private static LeaseState Lease(string claimFolder)
    {
        var lease = new FileInfo(Path.Combine(claimFolder, LeaseName));
        return lease.Exists ? new LeaseState(lease.Length, lease.LastWriteTimeUtc) : new LeaseState(-1, default);
    }

    /// <summary>Creates a folder, refusing one that is a link: claims would go, and be recovered from, where it points.</summary>
    private static void CreateRealFolder(string path)
    {
        if (IsLink(Directory.CreateDirectory(path)))
        {
            throw new IOException($"{path} is a symbolic link; ingest keeps its claims only in a real folder");
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

    /// <summary>A lease as the other replicas see it: its size and last write time.</summary>
    private readonly record struct LeaseState(long Length, DateTime WriteTime);
}

/// <summary>What renewing the lease found.</summary>
public enum LeaseRenewal
{
    /// <summary>The lease was as this process left it.</summary>
    Renewed,

    /// <summary>
    /// The claim folder was gone: this replica went without renewing for longer than the lease (paused, or the share
    /// away), and another replica moved its files back to the drop folder. The folder is made again.
    /// </summary>
    FolderTakenOver,

    /// <summary>Someone else wrote the lease since this process last did: another running replica has the same id.</summary>
    SharedReplicaId,
}
