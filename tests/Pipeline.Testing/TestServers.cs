using System.Net.Sockets;
using System.Text;
using DotNet.Testcontainers.Containers;

namespace Pipeline.Testing;

/// <summary>
/// How a test finds a real server: the environment variable that <c>deploy/local/services.sh</c> exports when
/// the server runs as a plain process, otherwise a Testcontainers container when a Docker engine answers,
/// otherwise a clear failure (never a silent skip).
/// </summary>
public static class TestServers
{
    /// <summary>The README's test command: it starts the servers as plain processes and exports the variables.</summary>
    public const string TestCommand = "bash tests/run.sh";

    /// <summary>The broker image, as docker-compose.yml and deploy/local/docker.sh name it.</summary>
    public const string RabbitMqImage = "rabbitmq:3.13-management";

    /// <summary>The database image, as docker-compose.yml and deploy/local/docker.sh name it.</summary>
    public const string PostgresImage = "postgres:16";

    /// <summary>The variable's value, or null when it is unset or blank.</summary>
    public static string? FromEnvironment(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>
    /// Throws the "how to run the tests" error unless a Docker engine answers a ping (at <c>DOCKER_HOST</c>, or
    /// the default <c>/var/run/docker.sock</c>). Call it before building a Testcontainers container.
    /// </summary>
    /// <param name="what">The server, for the message ("RabbitMQ").</param>
    /// <param name="variable">The environment variable that would have named a running server.</param>
    public static void RequireDocker(string what, string variable)
    {
        if (PingDocker() is { } problem)
        {
            throw NoServer(what, variable, problem);
        }
    }

    /// <summary>
    /// Builds and starts a container, turning "no Docker engine" (or any start failure) into an error that
    /// says how to run the tests.
    /// </summary>
    /// <param name="what">The server, for the message ("PostgreSQL").</param>
    /// <param name="variable">The environment variable that would have named a running server.</param>
    public static async Task<TContainer> StartContainerAsync<TContainer>(string what, string variable, Func<TContainer> build)
        where TContainer : IContainer
    {
        ArgumentNullException.ThrowIfNull(build);
        RequireDocker(what, variable);
        TContainer container;
        try
        {
            container = build();
        }
        catch (Exception e)
        {
            throw NoServer(what, variable, e);
        }

        try
        {
            await container.StartAsync();
            return container;
        }
        catch (Exception e)
        {
            await container.DisposeAsync();
            throw NoServer(what, variable, e);
        }
    }

    /// <summary>Null when the Docker engine answers <c>GET /_ping</c>, else why not.</summary>
    private static InvalidOperationException? PingDocker()
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrWhiteSpace(host))
        {
            host = "unix:///var/run/docker.sock";
        }

        try
        {
            var uri = new Uri(host);
            using var socket = uri.Scheme switch
            {
                "unix" => new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified),
                "tcp" or "http" => new Socket(SocketType.Stream, ProtocolType.Tcp),
                _ => null,
            };
            if (socket is null)
            {
                return null; // npipe, ssh, tls: let Testcontainers try.
            }

            socket.ReceiveTimeout = 3000;
            socket.SendTimeout = 3000;
            if (uri.Scheme == "unix")
            {
                socket.Connect(new UnixDomainSocketEndPoint(uri.AbsolutePath));
            }
            else
            {
                socket.Connect(uri.Host, uri.Port);
            }

            socket.Send(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            var buffer = new byte[256];
            var read = socket.Receive(buffer);
            var answer = Encoding.ASCII.GetString(buffer, 0, read);
            return answer.StartsWith("HTTP/1.", StringComparison.Ordinal) && answer.Contains(" 200 ", StringComparison.Ordinal)
                ? null
                : new InvalidOperationException($"the Docker engine at {host} answered: {answer.Split('\n')[0].Trim()}");
        }
        catch (Exception e) when (e is SocketException or UriFormatException or IOException)
        {
            return new InvalidOperationException($"no Docker engine answers at {host}: {e.Message}", e);
        }
    }

    private static InvalidOperationException NoServer(string what, string variable, Exception cause) =>
        new(
            $"No {what} for the tests: {variable} is not set and no Docker engine could start one ({cause.Message}). "
            + $"Run the tests the README's way, from the repository root: `{TestCommand}` (it starts the servers as plain "
            + "processes and exports the variables; to keep them for repeated `dotnet test` runs: `source deploy/local/services.sh "
            + "&& pipeline_services_start`, and `pipeline_services_stop` at the end), or start a Docker engine.",
            cause);
}
