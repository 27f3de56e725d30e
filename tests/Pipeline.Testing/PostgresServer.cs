using Npgsql;
using Testcontainers.PostgreSql;

namespace Pipeline.Testing;

/// <summary>
/// A real PostgreSQL for a test class (<c>IClassFixture&lt;PostgresServer&gt;</c>): the server named by
/// <c>PIPELINE_TEST_POSTGRES</c>, or one container shared by the whole test run. Each fixture instance gets a
/// database of its own (and <see cref="CreateDatabaseAsync"/> makes more), dropped when the fixture is disposed,
/// so test classes running in parallel never see each other's rows.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>An Npgsql connection string to a running server, exported by <c>deploy/local/services.sh</c>.</summary>
    public const string Variable = "PIPELINE_TEST_POSTGRES";

    private static readonly Lazy<Task<string>> Server = new(FindServerAsync);
    private readonly List<string> _databases = [];

    /// <summary>A connection string to the server's maintenance database (to create or drop databases).</summary>
    public string ServerConnectionString { get; private set; } = string.Empty;

    /// <summary>A connection string to this fixture's own, initially empty database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Creates one more empty database and returns a connection string to it.</summary>
    /// <param name="encoding">
    /// A server encoding other than the server's default (e.g. <c>SQL_ASCII</c>, to test a misconfigured server);
    /// the database then gets the C locale, which goes with every encoding.
    /// </param>
    public async Task<string> CreateDatabaseAsync(string? encoding = null)
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(Unpooled(ServerConnectionString)))
        {
            await connection.OpenAsync();
            var sql = "CREATE DATABASE " + name;
            if (encoding is not null)
            {
                ArgumentOutOfRangeException.ThrowIfNotEqual(encoding.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'), true, nameof(encoding));
                sql += $" ENCODING '{encoding}' LOCALE 'C' TEMPLATE template0";
            }

            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public async Task InitializeAsync()
    {
        ServerConnectionString = await Server.Value;
        ConnectionString = await CreateDatabaseAsync();
    }

    public Task DisposeAsync() => DropDatabasesAsync();

    /// <summary>Drops every database this fixture created so far.</summary>
    public async Task DropDatabasesAsync()
    {
        string[] names;
        lock (_databases)
        {
            names = [.. _databases];
            _databases.Clear();
        }

        if (names.Length == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(Unpooled(ServerConnectionString));
        await connection.OpenAsync();
        foreach (var name in names)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<string> FindServerAsync()
    {
        if (TestServers.FromEnvironment(Variable) is { } connectionString)
        {
            return connectionString;
        }

        // One container for the whole run; Testcontainers' reaper removes it when the test process ends.
        var container = await TestServers.StartContainerAsync(
            "PostgreSQL",
            Variable,
            () => new PostgreSqlBuilder(TestServers.PostgresImage).Build());
        return container.GetConnectionString();
    }

    private static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
