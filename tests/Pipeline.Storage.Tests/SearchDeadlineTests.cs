namespace Pipeline.Storage.Tests;

public sealed class SearchDeadlineTests
{
    [Fact]
    public async Task A_search_that_outlasts_its_time_limit_is_stopped_with_a_reason()
    {
        var stopped = false;

        var error = await Assert.ThrowsAsync<SearchTimeoutException>(() => SearchDeadline.RunAsync(
            TimeSpan.FromMilliseconds(50),
            async token =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                    return 0;
                }
                finally
                {
                    stopped = token.IsCancellationRequested;
                }
            },
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(stopped);
        Assert.Contains("Storage:Resilience:SearchTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SearchDeadline.RunAsync(
            TimeSpan.FromMinutes(5),
            async token =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return 0;
            },
            gone.Token).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
