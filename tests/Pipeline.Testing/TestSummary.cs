namespace Pipeline.Testing;

/// <summary>A suite's one summary line: printed to the test log and kept in a file that tests/run.sh prints at the end.</summary>
public static class TestSummary
{
    /// <param name="name">The file's name without its suffix, e.g. "fault" for TestResults/fault-summary.txt.</param>
    /// <param name="summary">The line.</param>
    public static void Write(string name, string summary)
    {
        Console.WriteLine(summary);
        var results = Path.Combine(RepositoryPaths.Root, "TestResults");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, name + "-summary.txt"), summary + Environment.NewLine);
    }
}
