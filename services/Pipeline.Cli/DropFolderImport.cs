namespace Pipeline.Cli;

internal static class DropFolderImport
{
    /// <summary>
    /// Copies files into the drop folder under a temporary name, then renames them, so the watcher never
    /// sees a half-written file.
    /// </summary>
    public static void CopyInto(string dropFolder, IEnumerable<string> sources)
    {
        foreach (var source in sources)
        {
            var files = Directory.Exists(source) ? Directory.EnumerateFiles(source) : [source];
            foreach (var file in files)
            {
                var target = Path.Combine(dropFolder, Path.GetFileName(file));
                File.Copy(file, target + ".part", overwrite: true);
                File.Move(target + ".part", target, overwrite: true);
            }
        }
    }
}
