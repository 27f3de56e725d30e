using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>The README's first command: <c>pipeline run</c> on the samples, then <c>pipeline search</c> finds them.</summary>
public sealed class EmbeddedRunTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-run-").FullName;

    [Fact]
    public async Task Run_processes_the_samples_in_one_process_and_search_finds_them()
    {
        var samples = Path.Combine(RepositoryPaths.Root, "samples");
        var drop = Path.Combine(_root, "drop");
        var data = Path.Combine(_root, "data");

        var run = await RunCliAsync(["run", "--drop", drop, "--import", samples, "--data", data, "--exit-when-idle"]);
        Assert.Equal(0, run.Code);
        Assert.Equal(Directory.GetFiles(samples).Length, Directory.GetFiles(Path.Combine(drop, ".archive")).Length);

        var search = await RunCliAsync(["search", "solar", "--data", data]);
        Assert.Equal(0, search.Code);
        var hit = JsonDocument.Parse(Assert.Single(search.Lines)).RootElement;
        Assert.Contains("solar", hit.GetProperty("title").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<mark>", hit.GetProperty("snippet").GetString()!, StringComparison.Ordinal);

        // The same files dropped again: ingest finds their documents stored and archives them at once, and the run
        // still sees every file end.
        var again = await RunCliAsync(["run", "--drop", drop, "--import", samples, "--data", data, "--exit-when-idle"]);
        Assert.Equal(0, again.Code);
        Assert.Single((await RunCliAsync(["search", "solar", "--data", data])).Lines);

        // Reprocessing rewrites every stored document in place: one line each, and still one hit, not two.
        var reprocess = await RunCliAsync(["reprocess", "--data", data]);
        Assert.Equal(Directory.GetFiles(samples).Length, reprocess.Lines.Count);
        Assert.Single((await RunCliAsync(["search", "solar", "--data", data])).Lines);
    }

    private static async Task<(int Code, IReadOnlyList<string> Lines)> RunCliAsync(string[] arguments)
    {
        await using var cli = ServiceProcess.Start(
            RepositoryPaths.ServiceAssembly("Pipeline.Cli", "pipeline"),
            arguments,
            new Dictionary<string, string> { ["Urls"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}" });
        var code = await cli.WaitForExitAsync(Patience);
        var lines = cli.Output.Split(Environment.NewLine).Where(l => l.StartsWith('{')).ToList();
        Assert.True(code == 0, cli.Output);
        return (code, lines);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
