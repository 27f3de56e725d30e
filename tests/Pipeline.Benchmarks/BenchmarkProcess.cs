using System.Diagnostics;

/// <summary>This benchmark program again, in a child process: run through its apphost or as <c>dotnet Pipeline.Benchmarks.dll</c>.</summary>
internal static class BenchmarkProcess
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (!Environment.ProcessPath!.EndsWith("Pipeline.Benchmarks", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(BenchmarkProcess).Assembly.Location); // dotnet Pipeline.Benchmarks.dll
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }
}
