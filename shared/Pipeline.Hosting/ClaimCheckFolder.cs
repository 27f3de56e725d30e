namespace Pipeline.Hosting;

/// <summary>
/// The folder of claim-check files (MassTransit's file-system message-data repository) that the stages of a
/// deployment share: ingest writes one per raw file, clean and store read it, and the store removes it. Without
/// the removal the folder would keep a second copy of every file ever ingested.
/// </summary>
public sealed class ClaimCheckFolder(string folder) : IClaimChecks
{
    private readonly string _root = Path.GetFullPath(folder);

    /// <summary>Deletes the file behind a repository address (<c>urn:file:&lt;folder&gt;:...:&lt;name&gt;</c>).</summary>
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
