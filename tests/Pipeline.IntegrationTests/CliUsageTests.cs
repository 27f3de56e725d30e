using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The <c>pipeline</c> command as a user meets it: started from their own folder, relative paths are theirs; a bad
/// input ends with one line on stderr and a non-zero exit, never a stack trace; <c>run</c> prints its own progress,
/// not the framework's logs.
/// </summary>
public sealed class CliUsageTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private static readonly string Samples = Path.Combine(RepositoryPaths.Root, "samples");
    private static readonly string Cli = RepositoryPaths.ServiceAssembly("Pipeline.Cli", "pipeline");

    /// <summary>The user's folder: never the repository, nor the program's.</summary>
    private readonly string _userFolder = Directory.CreateTempSubdirectory("pipeline-cli-").FullName;

    public CliUsageTests()
    {
        File.WriteAllText(Path.Combine(_userFolder, "a-file"), "not a folder");
        Directory.CreateDirectory(Path.Combine(_userFolder, "database-is-a-folder", "pipeline.db"));
    }

    public static TheoryData<string, string[], string?> BadInputs => new()
    {
        { "a file to import that does not exist", ["run", "--drop", "drop", "--import", "nosuch", "--data", "data", "--exit-when-idle"], null },
        { "a file to process that does not exist", ["process", "nosuch.txt"], null },
        { "a drop folder that is a file", ["run", "--drop", "a-file", "--data", "data", "--exit-when-idle"], null },
        { "a data folder inside a file", ["run", "--drop", "drop", "--data", "a-file/data", "--exit-when-idle"], null },
        { "a database that is a folder", ["search", "solar", "--data", "database-is-a-folder"], null },
        { "a broker host that does not exist", ["errors"], "amqp://guest:guest@nohost.invalid:5672/" },
        { "a broker port nobody listens on", ["replay", "--stage", "clean"], "amqp://guest:guest@127.0.0.1:1/" },
        { "a broker address that is no AMQP URI", ["errors", "--rabbitmq", "localhost"], null },
        { "a required option left out", ["run"], null },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task A_bad_input_ends_with_one_line_on_stderr_and_a_nonzero_exit(string input, string[] arguments, string? broker)
    {
        var environment = new Dictionary<string, string> { ["Urls"] = FreeUrl() };
        if (broker is not null)
        {
            environment["Messaging__RabbitMq"] = broker;
        }

        var (code, cli) = await RunAsync(ServiceProcess.Start(Cli, arguments, environment, _userFolder));

        Assert.True(code != 0, $"{input}: exit code 0{Environment.NewLine}{cli.Output}");
        var line = Assert.Single(cli.ErrorLines);
        Assert.StartsWith("pipeline: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_fails_still_gets_its_json_line_with_the_reason()
    {
        var (code, cli) = await RunAsync(ServiceProcess.Start(Cli, ["process", "nosuch.txt"], new Dictionary<string, string>(), _userFolder));

        Assert.Equal(1, code);
        var line = JsonDocument.Parse(Assert.Single(cli.Output.Split(Environment.NewLine), l => l.StartsWith('{'))).RootElement;
        Assert.Equal("nosuch.txt", line.GetProperty("file").GetString());
        Assert.Contains(Path.Combine(_userFolder, "nosuch.txt"), line.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>SQLite's file is the user's to fix, not a server on its way up: the run says so before it takes any file.</summary>
    [Fact]
    public async Task A_database_that_cannot_be_opened_stops_the_run_before_it_takes_a_file()
    {
        var (code, cli) = await RunAsync(ServiceProcess.Start(
            Cli,
            ["run", "--drop", "drop", "--import", "a-file", "--data", "database-is-a-folder", "--exit-when-idle"],
            new Dictionary<string, string> { ["Urls"] = FreeUrl() },
            _userFolder));

        Assert.Equal(1, code);
        var line = Assert.Single(cli.ErrorLines);
        Assert.StartsWith($"pipeline: cannot open the database {Path.Combine(_userFolder, "database-is-a-folder", "pipeline.db")}", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_userFolder, "drop")));
        Assert.True(File.Exists(Path.Combine(_userFolder, "a-file")));
    }

    /// <summary>The in-memory error queues end with the run; the failed folder keeps the file and says why.</summary>
    [Fact]
    public async Task A_file_that_fails_after_ingest_is_set_aside_with_the_reason()
    {
        var drop = Directory.CreateDirectory(Path.Combine(_userFolder, "drop")).FullName;
        File.WriteAllBytes(Path.Combine(drop, "picture.bin"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0xFF, 0x10, 0x00]);
        CopySamplesTo(drop);

        var (code, cli) = await RunAsync(ServiceProcess.Start(
            Cli, ["run", "--drop", "drop", "--data", "data", "--exit-when-idle"], new Dictionary<string, string> { ["Urls"] = FreeUrl() }, _userFolder));

        Assert.True(code == 1, cli.Output);
        var failed = Path.Combine(drop, ".failed", "picture.bin");
        Assert.True(File.Exists(failed), cli.Output);
        Assert.StartsWith("failed at Clean: binary document", File.ReadAllText(failed + ".error.txt"), StringComparison.Ordinal);
        Assert.Equal(Directory.GetFiles(Samples).Length, Directory.GetFiles(Path.Combine(drop, ".archive")).Length);
        Assert.Contains("failed at Clean: picture.bin: binary document (not text or HTML)", cli.ErrorLines);
        Assert.DoesNotContain("R-FAULT", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_named_with_the_way_to_choose_another()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, cli) = await RunAsync(ServiceProcess.Start(
            Cli, ["run", "--drop", "drop", "--data", "data"], new Dictionary<string, string> { ["Urls"] = $"http://127.0.0.1:{port}" }, _userFolder));

        Assert.NotEqual(0, code);
        var line = Assert.Single(cli.ErrorLines);
        Assert.Contains($":{port}", line, StringComparison.Ordinal);
        Assert.Contains("Urls", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_shows_the_exception()
    {
        var (code, cli) = await RunAsync(ServiceProcess.Start(
            Cli, ["errors", "--verbose"], new Dictionary<string, string> { ["Messaging__RabbitMq"] = "amqp://guest:guest@127.0.0.1:1/" }, _userFolder));

        Assert.NotEqual(0, code);
        Assert.Contains("BrokerUnreachableException", cli.Output, StringComparison.Ordinal);
        Assert.Contains("   at ", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_c_stops_a_run_waiting_to_be_idle_cleanly()
    {
        var drop = Directory.CreateDirectory(Path.Combine(_userFolder, "drop")).FullName;
        // A file its writer still has open keeps the run from ever being idle.
        await using var held = new FileStream(Path.Combine(drop, "held.txt"), FileMode.CreateNew, FileAccess.Write);
        await held.WriteAsync("Held\n\nA story still being written."u8.ToArray());
        await held.FlushAsync();
        await using var cli = ServiceProcess.Start(
            Cli, ["run", "--drop", "drop", "--data", "data", "--exit-when-idle"], new Dictionary<string, string> { ["Urls"] = FreeUrl() }, _userFolder);
        for (var tries = 0; tries < 600 && !cli.ErrorLines.Any(l => l.StartsWith("Pipeline running", StringComparison.Ordinal)); tries++)
        {
            await Task.Delay(100);
        }

        using (var interrupt = Process.Start("kill", ["-s", "INT", cli.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        var code = await cli.WaitForExitAsync(Patience);
        Assert.True(code == 0, cli.Output);
        Assert.Equal("Stored 0, failed 0.", cli.ErrorLines[^1]);
        Assert.Equal(2, cli.ErrorLines.Count);
        Assert.True(File.Exists(Path.Combine(drop, "held.txt")));
    }

    /// <summary>The README's first command, with <c>dotnet run --project</c> from the user's folder rather than the repository.</summary>
    [Fact]
    public async Task Dotnet_run_resolves_relative_paths_against_the_folder_it_was_started_from()
    {
        CopySamplesTo(Path.Combine(_userFolder, "samples"));

        var (code, cli) = await RunAsync(ServiceProcess.StartDotnet(
            [
                "run", "-c", RepositoryPaths.Configuration, "--no-build", "--project", Path.Combine(RepositoryPaths.Root, "services", "Pipeline.Cli"),
                "--", "run", "--drop", "drop", "--import", "samples", "--data", "data", "--exit-when-idle",
            ],
            new Dictionary<string, string> { ["Urls"] = FreeUrl() },
            _userFolder));

        Assert.True(code == 0, cli.Output);
        AssertProcessedInto(_userFolder, cli);
    }

    [Fact]
    public async Task The_built_program_resolves_relative_paths_against_its_working_directory()
    {
        var samples = Path.GetRelativePath(_userFolder, Samples);
        var (code, cli) = await RunAsync(ServiceProcess.Start(
            Cli,
            ["run", "--drop", "drop", "--import", samples, "--data", "data", "--exit-when-idle"],
            new Dictionary<string, string> { ["Urls"] = FreeUrl() },
            _userFolder));
        Assert.True(code == 0, cli.Output);
        AssertProcessedInto(_userFolder, cli);

        // From the repository root, as the README's examples run it.
        var file = Path.Combine("samples", Path.GetFileName(Directory.GetFiles(Samples)[0]));
        var (processCode, process) = await RunAsync(ServiceProcess.Start(Cli, ["process", file], new Dictionary<string, string>(), RepositoryPaths.Root));
        Assert.True(processCode == 0, process.Output);
        Assert.Empty(process.ErrorLines);
    }

    /// <summary>The samples are archived in the user's drop folder and stored in their data folder, one progress line each.</summary>
    private static void AssertProcessedInto(string userFolder, ServiceProcess cli)
    {
        var samples = Directory.GetFiles(Samples).Length;
        Assert.Equal(samples, Directory.GetFiles(Path.Combine(userFolder, "drop", ".archive")).Length);
        Assert.True(File.Exists(Path.Combine(userFolder, "data", "pipeline.db")), cli.Output);
        Assert.Equal(samples, cli.ErrorLines.Count(l => l.StartsWith("stored: ", StringComparison.Ordinal)));

        // Its own progress, not the framework's info logs.
        Assert.DoesNotContain("info:", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Content root path", cli.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Bus started", cli.Output, StringComparison.Ordinal);
    }

    private static async Task<(int Code, ServiceProcess Cli)> RunAsync(ServiceProcess cli)
    {
        await using (cli)
        {
            return (await cli.WaitForExitAsync(Patience), cli);
        }
    }

    private static string FreeUrl() => $"http://127.0.0.1:{ServiceProcess.FreePort()}";

    private static void CopySamplesTo(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Samples))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
    }

    public void Dispose() => Directory.Delete(_userFolder, recursive: true);
}
