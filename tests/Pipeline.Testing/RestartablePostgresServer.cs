using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Pipeline.Testing;

/// <summary>
/// A PostgreSQL server of a test class's own, which its tests may stop and start again (real connection loss:
/// a fast shutdown, then connection refused). Stopping the shared <see cref="PostgresServer"/> would break the
/// tests running beside it, so this one is private: a new cluster made with the binaries of the server that
/// <c>PIPELINE_TEST_POSTGRES_CTL</c> controls (initdb and pg_ctl, as <c>deploy/local/services.sh</c> does), or a
/// container of its own on a fixed host port where a Docker engine answers.
/// </summary>
public sealed class RestartablePostgresServer : IAsyncLifetime
{
    /// <summary>The pg_ctl command prefix exported by <c>deploy/local/services.sh</c>.</summary>
    public const string ControlVariable = "PIPELINE_TEST_POSTGRES_CTL";

    private string[] _runAs = [];
    private string _bin = string.Empty;
    private string _folder = string.Empty;
    private int _port;
    private PostgreSqlContainer? _container;

    /// <summary>A connection string to the server's <c>postgres</c> database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _port = FreePort();
        if (TestServers.FromEnvironment(ControlVariable) is { } control)
        {
            await CreateClusterAsync(control);
            return;
        }

        _container = await TestServers.StartContainerAsync(
            "PostgreSQL",
            ControlVariable,
            () => new PostgreSqlBuilder(TestServers.PostgresImage).WithPortBinding(_port, 5432).Build());
        ConnectionString = _container.GetConnectionString();
    }

    /// <summary>Creates an empty database on this server and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        // Unpooled: a pooled connection would be dead after a restart.
        await using (var connection = new NpgsqlConnection(Unpooled(ConnectionString)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("CREATE DATABASE " + name, connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Shuts the server down the way an operator does (<c>pg_ctl -m fast stop</c>): sessions are ended.</summary>
    public async Task StopAsync()
    {
        if (_container is not null)
        {
            await _container.StopAsync();
        }
        else
        {
            await PgCtlAsync("-m", "fast", "-w", "stop");
        }
    }

    /// <summary>Starts the server again on the same port and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (_container is not null)
        {
            await _container.StartAsync();
        }
        else
        {
            await PgCtlAsync(
                "-l", Path.Combine(_folder, "server.log"), "-w", "-o",
                $"-c listen_addresses=127.0.0.1 -p {_port} -k {_folder} -c fsync=off",
                "start");
        }
    }

    public async Task DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
            return;
        }

        if (_folder.Length > 0)
        {
            try
            {
                await PgCtlAsync("-m", "immediate", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already stopped.
            }

            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private async Task CreateClusterAsync(string control)
    {
        // "runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/.../data": keep how to run and where
        // the binaries are, make a cluster of our own.
        var words = control.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pgCtl = Array.FindIndex(words, w => w.EndsWith("/pg_ctl", StringComparison.Ordinal) || w == "pg_ctl");
        if (pgCtl < 0)
        {
            throw new InvalidOperationException($"{ControlVariable} does not name pg_ctl: {control}");
        }

        _runAs = words[..pgCtl];
        _bin = Path.GetDirectoryName(words[pgCtl]) ?? string.Empty;
        _folder = Directory.CreateTempSubdirectory("pipeline-pg-").FullName;
        // The server may run as another user (root cannot run PostgreSQL): let it write its folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_folder, (UnixFileMode)0b111_111_111);
        }

        await RunAsync(Tool("initdb"), "-D", Path.Combine(_folder, "data"), "-U", "pipeline", "--auth=trust", "-E", "UTF8");
        await StartAsync();
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = _port,
            Username = "pipeline",
            Database = "postgres",
        }.ConnectionString;
    }

    private Task PgCtlAsync(params string[] arguments) =>
        RunAsync(Tool("pg_ctl"), ["-D", Path.Combine(_folder, "data"), .. arguments]);

    private string Tool(string name) => _bin.Length == 0 ? name : Path.Combine(_bin, name);

    private async Task RunAsync(string tool, params string[] arguments)
    {
        string[] command = [.. _runAs, tool, .. arguments];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{string.Join(' ', command)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
