namespace Pipeline.Stages.Ingest;

/// <summary>The drop folder and where its files go afterwards. Section <c>Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string SectionName = "Ingest";

    /// <summary>The folder people drop files into (top level only; names starting with '.' are skipped).</summary>
    public string DropFolder { get; set; } = "data/drop";

    /// <summary>Where a file goes once the broker confirmed it. Default: <c>&lt;DropFolder&gt;/.archive</c>.</summary>
    public string? ArchiveFolder { get; set; }

    /// <summary>Where a file that cannot be read goes, with a <c>.error.txt</c> beside it. Default: <c>&lt;DropFolder&gt;/.failed</c>.</summary>
    public string? FailedFolder { get; set; }

    /// <summary>A full rescan runs this often, because file-system events get lost.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A file is complete once its size and time stayed the same for this long.</summary>
    public TimeSpan SettleTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Larger files are refused (moved to the failed folder with the reason).</summary>
    public long MaxFileBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// How long a publish may wait for the broker's confirmation. A broker restarted while a confirmation was due
    /// can leave the publish waiting for ever; after this the file stays for the next pass (a copy that did arrive
    /// is harmless: the same content has the same id).
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Files read and published at once.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>
    /// Where the process can count documents in flight (<see cref="IInFlightDocuments"/>: the embedded run), no more
    /// files are taken while this many are on their way to the store; 0 takes files without limit.
    /// </summary>
    public int MaxInFlight { get; set; } = 256;

    /// <summary>
    /// This process's name among the ingest replicas sharing the drop folder; its claim folder is
    /// <c>&lt;DropFolder&gt;/.claims/&lt;ReplicaId&gt;</c>. It must differ between running replicas, as the default (host
    /// name and process id) does; a replica restarted under the same id takes up its own claims at once.
    /// </summary>
    public string ReplicaId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>
    /// A replica renews the lease on its claim folder every third of this. A claim folder whose lease stayed unchanged
    /// this long, by the observing replica's own clock, belongs to a dead replica: its files go back to the drop folder.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Name endings of files still being written by someone, never picked up.</summary>
    public string[] IgnoredSuffixes { get; set; } = [".tmp", ".part", ".partial", ".crdownload", ".swp", "~"];

    public string ArchivePath => ArchiveFolder ?? Path.Combine(DropFolder, ".archive");

    public string FailedPath => FailedFolder ?? Path.Combine(DropFolder, ".failed");

    /// <summary>The replicas' claim folders: inside the drop folder, so that claiming a file is a rename on one file system.</summary>
    public string ClaimsPath => Path.Combine(DropFolder, ".claims");
}
