namespace Pipeline.Testing;

/// <summary>Where things are, found from the test assembly's own location.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root: the nearest folder up that holds Pipeline.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The test inputs kept in the repository, so that the tests run in any clone.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    /// <summary>The two real news files every suite runs through the stages.</summary>
    public static string Seeds => Path.Combine(Fixtures, "seeds");

    /// <summary>The article-extraction benchmark's pages: <c>html/</c>, <c>text/</c> and <c>ground-truth.json</c>.</summary>
    public static string ArticlePages => Path.Combine(Fixtures, "article-pages");

    /// <summary>Debug or Release: whatever the tests themselves were built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    /// <summary>The built entry assembly of a project under <c>services/</c>, e.g. <c>Pipeline.Clean</c>.</summary>
    public static string ServiceAssembly(string project, string? assemblyName = null) =>
        Path.Combine(Root, "services", project, "bin", Configuration, "net10.0", (assemblyName ?? project) + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
