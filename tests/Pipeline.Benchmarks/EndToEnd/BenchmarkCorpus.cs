using System.IO.Compression;
using System.Text;
using Pipeline.Testing;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// The end-to-end corpus: the article-extraction dev pages, as downloaded (HTML) and as scraped text, taken in
/// turn until there are enough. Each copy ends with a marker of its own (an HTML comment, or a last line of text)
/// so that its content, and so its document id, differs from every other copy's: nothing is deduplicated away.
/// </summary>
internal static class BenchmarkCorpus
{
    /// <summary>Writes <paramref name="count"/> files named and marked with <paramref name="label"/> into <paramref name="folder"/>; returns their names in order.</summary>
    public static IReadOnlyList<string> Write(string folder, int count, string label)
    {
        // The evaluation data beside the repository: benchmarks may read it, tests may not.
        var data = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "data", "article-extraction-dev"));
        var pages = Directory.GetFiles(Path.Combine(data, "html"), "*.html.gz").Order(StringComparer.Ordinal).Select(ReadGzip).ToList();
        var texts = Directory.GetFiles(Path.Combine(data, "text"), "*.txt").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        Directory.CreateDirectory(folder);
        var names = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var html = i % 2 == 0;
            var source = html ? pages[i / 2 % pages.Count] : texts[i / 2 % texts.Count];
            var marker = Encoding.UTF8.GetBytes(html ? $"\n<!-- {label} copy {i} -->\n" : $"\n\n{label} copy {i}.\n");
            var name = $"{label}-{i:D6}.{(html ? "html" : "txt")}";
            using (var file = File.Create(Path.Combine(folder, name)))
            {
                file.Write(source);
                file.Write(marker);
            }

            names.Add(name);
        }

        return names;
    }

    private static byte[] ReadGzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }
}
