using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Pipeline.Storage;

/// <summary>Builds the Polly pipeline that guards database calls and tells transient errors from the others.</summary>
public static class StorageResilience
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// Retry (exponential back-off with jitter, transient errors and attempt timeouts only), around a circuit
    /// breaker (opens on a high share of transient failures, so a dead database isn't hammered), around a
    /// timeout per attempt.
    /// </summary>
    /// <param name="onTransientFailure">Called before each retry with the error, e.g. to clear a connection pool.</param>
    public static ResiliencePipeline Create(
        StorageResilienceOptions options,
        ILogger logger,
        Action<Exception>? onTransientFailure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var builder = new ResiliencePipelineBuilder();
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => IsTransient(e) || e is TimeoutRejectedException),
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is { } error)
                    {
                        logger.LogWarning(
                            "Database call failed (attempt {Attempt}): {Error}. Retrying in {Delay} ms",
                            args.AttemptNumber + 1,
                            error.Message,
                            (int)args.RetryDelay.TotalMilliseconds);
                        onTransientFailure?.Invoke(error);
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => IsTransient(e) || e is TimeoutRejectedException),
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            OnOpened = args =>
            {
                logger.LogError(
                    args.Outcome.Exception,
                    "Database circuit opened for {BreakDuration}: calls fail at once until it is probed again",
                    args.BreakDuration);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                logger.LogInformation("Database circuit closed: the database answers again");
                return ValueTask.CompletedTask;
            },
        });
        builder.AddTimeout(options.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>
    /// True for errors that may go away on their own: connection refused, reset or lost, the server shutting
    /// down or starting, serialization failures and deadlocks, SQLite busy or locked.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        PostgresException pg => pg.IsTransient
            || pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.SerializationFailure
                or PostgresErrorCodes.DeadlockDetected,
        NpgsqlException npgsql => npgsql.IsTransient
            || npgsql.InnerException is IOException or SocketException or TimeoutException,
        SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// True when a store call failed because the database is unreachable, overloaded or misconfigured rather than
    /// because of the document: a transient error that outlasted the retries, an attempt timeout, an open circuit
    /// (<see cref="BrokenCircuitException"/>), or <see cref="DatabaseMisconfiguredException"/> (which the Polly
    /// retries leave alone: it lasts until someone fixes the server). Callers should try again later (e.g.
    /// redeliver the message), not give up on the document.
    /// </summary>
    public static bool IsUnavailable(Exception error) =>
        error is BrokenCircuitException or TimeoutRejectedException or DatabaseMisconfiguredException
        || (error is not null && IsTransient(error));

    /// <summary>True when the connection itself failed (as opposed to an error the server reported).</summary>
    internal static bool IsConnectionFailure(Exception error) =>
        error is NpgsqlException and not PostgresException
        || error is PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow }
        || error is SocketException or IOException;
}
