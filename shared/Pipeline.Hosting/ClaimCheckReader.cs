using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;

namespace Pipeline.Hosting;

/// <summary>
/// Reads what a stage's input carries as claim checks. Only the store removes a claim check, once its document is
/// committed; so when a message that the broker hands out again (the process or channel that had it went before
/// acknowledging it) finds its claim check gone, an earlier delivery of it was handed on and stored, and nothing is
/// left to do. On a first delivery a missing claim check is an error (say, stages that do not share the folder).
/// </summary>
public static partial class ClaimCheckReader
{
    /// <returns>What <paramref name="read"/> returns; null when the document was handed on already.</returns>
    public static async Task<T?> ReadAsync<T>(ConsumeContext context, Func<Task<T>> read, ILogger logger)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read();
        }
        catch (Exception error) when (context.ReceiveContext.Redelivered && ClaimCheckedJson.IsGone(error))
        {
            LogHandedOnAlready(logger);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivered after its claim check was removed: an earlier delivery was handed on and stored")]
    private static partial void LogHandedOnAlready(ILogger logger);
}
