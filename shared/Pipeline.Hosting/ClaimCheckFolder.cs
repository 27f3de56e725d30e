namespace Pipeline.Hosting;

/// <summary>
/// The folder of claim-check files (MassTransit's file-system message-data repository): ingest writes one per raw
/// file, clean and store read it, and the store removes it once the document is committed, since nothing reads
/// it after that. Without the removal the folder would keep a second copy of every file ever ingested.
/// </summary>
public sealed class ClaimCheckFolder(string folder)
{
    private readonly string _root = Path.GetFullPath(folder);

    /// <summary>
    /// Deletes the file behind a repository address (<c>urn:file:&lt;folder&gt;:...:&lt;name&gt;</c>). Data carried inline
    /// has no file and other addresses are not this folder's: both are left alone, as is a file already gone.
    /// </summary>
    public void Remove(Uri? address)
    {
        if (address is null || address.Scheme != "urn")
        {
            return;
        }

        var parts = address.AbsolutePath.Split(':');
        if (parts.Length < 3 || parts[0] != "file")
        {
            return;
        }

        var path = Path.GetFullPath(Path.Combine([_root, .. parts[1..]]));
        if (path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            File.Delete(path);
        }
    }
}
