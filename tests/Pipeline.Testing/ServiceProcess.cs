using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Pipeline.Testing;

/// <summary>
/// A built service or CLI run as its own process, the way it runs deployed. Its output is kept so a failing
/// test can show what the process said.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errorLines = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            Keep(e.Data);
            if (e.Data is not null)
            {
                _errorLines.Enqueue(e.Data);
            }
        };
    }

    /// <summary>Everything the process wrote, stdout and stderr interleaved.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>What the process wrote to stderr alone, line by line (complete once it has exited).</summary>
    public IReadOnlyList<string> ErrorLines => [.. _errorLines];

    public bool HasExited => _process.HasExited;

    /// <summary>Where a service started by <see cref="StartReadyAsync"/> answers HTTP (null for any other process).</summary>
    public Uri? Address { get; private set; }

    /// <summary>The process id (for reading its CPU time and memory from /proc).</summary>
    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <c>dotnet ASSEMBLY ARGS</c> with the given environment, in <paramref name="workingDirectory"/> (default:
    /// the assembly's own folder).
    /// </summary>
    public static ServiceProcess Start(
        string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException("Build the solution first (tests/run.sh does)", assembly);
        }

        return StartDotnet([assembly, .. arguments], environment, workingDirectory ?? Path.GetDirectoryName(assembly)!);
    }

    /// <summary>
    /// Starts the built service <paramref name="project"/> on a free loopback port (its <c>Urls</c>, over any in
    /// <paramref name="environment"/>) and waits until its <c>/health/ready</c> answers; the process is stopped if it
    /// never does.
    /// </summary>
    public static async Task<ServiceProcess> StartReadyAsync(string project, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = Start(RepositoryPaths.ServiceAssembly(project), [], new Dictionary<string, string>(environment) { ["Urls"] = address.ToString() });
        process.Address = address;
        try
        {
            await process.WaitUntilReadyAsync(new Uri(address, "/health/ready"), timeout);
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>dotnet ARGS</c> (e.g. <c>run --project ...</c>, as a user would) in a working directory.</summary>
    public static ServiceProcess StartDotnet(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls the health endpoint until it answers 200, or fails with the process's output.</summary>
    public async Task WaitUntilReadyAsync(Uri health, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await client.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{health} not ready after {timeout}:{Environment.NewLine}{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process still running after {timeout}:{Environment.NewLine}{Output}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>A TCP port nobody listens on right now, for a service's health endpoint.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }
}
