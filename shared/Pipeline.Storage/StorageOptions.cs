namespace Pipeline.Storage;

/// <summary>
/// Where documents are stored, bound from the configuration section <c>Storage</c>
/// (<c>Storage:PostgresConnectionString</c>, <c>Storage:SqlitePath</c>, <c>Storage:Resilience:*</c>;
/// as environment variables <c>Storage__PostgresConnectionString</c> and so on).
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Storage";

    /// <summary>An Npgsql connection string. When set, documents go to PostgreSQL; when empty, to SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The SQLite database file used when no PostgreSQL connection string is set, relative to the working directory.</summary>
    public string SqlitePath { get; set; } = "data/pipeline.db";

    /// <summary>How database calls are retried, timed out and cut off when the database is down.</summary>
    public StorageResilienceOptions Resilience { get; set; } = new();

    /// <summary>How documents that arrive one at a time are gathered into one transaction (<see cref="DocumentBatchWriter"/>).</summary>
    public StorageBatchOptions Batch { get; set; } = new();
}

/// <summary>Group commit settings. Section <c>Storage:Batch</c>, e.g. <c>Storage__Batch__MaxDocuments</c>.</summary>
public sealed class StorageBatchOptions
{
    /// <summary>At most this many documents go into one transaction.</summary>
    public int MaxDocuments { get; set; } = 64;

    /// <summary>
    /// How long the first document of a batch waits for others before the batch is written anyway. Documents
    /// that arrive while a batch is being written always join the next one, so under load batches fill without it.
    /// </summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(20);
}

/// <summary>The Polly resilience pipeline that guards every database call of a store.</summary>
public sealed class StorageResilienceOptions
{
    /// <summary>Retries after the first attempt on a transient error (connection refused or lost, SQLite busy). 0 disables retries.</summary>
    public int MaxRetryAttempts { get; set; } = 6;

    /// <summary>The first retry delay; it doubles on each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two retries.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a search may run before it is stopped with <see cref="SearchTimeoutException"/> (not retried); at
    /// most <see cref="AttemptTimeout"/>, which would otherwise stop it first and retry it.
    /// </summary>
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Share of failed attempts within <see cref="CircuitSamplingDuration"/> that opens the circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within <see cref="CircuitSamplingDuration"/> before the circuit may open.</summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which failures are counted.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls at once before it lets one through to probe the database.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
