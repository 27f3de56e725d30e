using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Pipeline.Storage.Tests;

public class StorageResilienceTests
{
    public static TheoryData<Exception> Transient() =>
    [
        new NpgsqlException("connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new NpgsqlException("Exception while reading from stream", new IOException("reset")),
        new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", PostgresErrorCodes.AdminShutdown),
        new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow),
        new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected),
        new PostgresException("connection failure", "FATAL", "FATAL", PostgresErrorCodes.ConnectionFailure),
        new SqliteException("database is locked", 5),
        new SqliteException("database table is locked", 6),
        new SqliteException("database is locked (snapshot)", 5 | (3 << 8)),
    ];

    public static TheoryData<Exception> Permanent() =>
    [
        new PostgresException("syntax error", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError),
        new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation),
        new PostgresException("invalid byte sequence", "ERROR", "ERROR", PostgresErrorCodes.CharacterNotInRepertoire),
        new SqliteException("no such table", 1),
        new SqliteException("constraint failed", 19),
        new InvalidOperationException("bug"),
        new OperationCanceledException(),
    ];

    [Theory]
    [MemberData(nameof(Transient))]
    public void Transient_errors_are_retried(Exception error)
    {
        Assert.True(StorageResilience.IsTransient(error));
        Assert.True(StorageResilience.IsUnavailable(error));
    }

    [Theory]
    [MemberData(nameof(Permanent))]
    public void Other_errors_are_not(Exception error)
    {
        Assert.False(StorageResilience.IsTransient(error));
        Assert.False(StorageResilience.IsUnavailable(error));
    }

    [Fact]
    public void An_open_circuit_or_a_timeout_means_the_database_is_unavailable()
    {
        Assert.True(StorageResilience.IsUnavailable(new BrokenCircuitException()));
        Assert.True(StorageResilience.IsUnavailable(new TimeoutRejectedException()));
    }
}
