using System.Globalization;

namespace Pipeline.Storage;

/// <summary>
/// A search ran longer than <see cref="StorageResilienceOptions.SearchTimeout"/> and was stopped: the query API
/// answers 503 rather than let one request hold a core.
/// </summary>
public sealed class SearchTimeoutException : Exception
{
    public SearchTimeoutException()
    {
    }

    public SearchTimeoutException(string message)
        : base(message)
    {
    }

    public SearchTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A search with a deadline of its own.</summary>
internal static class SearchDeadline
{
    /// <summary>
    /// Runs <paramref name="search"/> until <paramref name="limit"/> passes: then it is cancelled (the stores stop
    /// the database query) and <see cref="SearchTimeoutException"/> says so; the caller's cancellation stays one.
    /// </summary>
    public static async Task<T> RunAsync<T>(TimeSpan limit, Func<CancellationToken, Task<T>> search, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        try
        {
            return await search(deadline.Token);
        }
        catch (OperationCanceledException error) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new SearchTimeoutException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The search took longer than {limit.TotalSeconds:0.#} s (Storage:Resilience:SearchTimeout) and was stopped."),
                error);
        }
    }
}
