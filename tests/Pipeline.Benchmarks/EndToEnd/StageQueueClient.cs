using Pipeline.Contracts;
using Pipeline.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>The stages' broker queues: exact message counts (the management API's lag by seconds), and purging.</summary>
internal sealed class StageQueueClient(IConnection connection) : IAsyncDisposable
{
    private static readonly string[] Stages = [StageNames.Clean, StageNames.Extract, StageNames.Store];

    public static async Task<StageQueueClient> ConnectAsync(string uri) =>
        new(await new ConnectionFactory { Uri = new Uri(uri), ClientProvidedName = "pipeline-benchmark" }.CreateConnectionAsync());

    public async Task<long> CountAsync(string queue) => await StageQueues.CountAsync(connection, queue, CancellationToken.None);

    /// <summary>
    /// Empties every stage's queue and error queue. A run ends by stopping its services, and a message whose
    /// acknowledgement was still on its way goes back to its queue, where the next run would find it.
    /// </summary>
    public async Task PurgeAsync()
    {
        foreach (var queue in Stages.SelectMany(s => new[] { StageQueues.Of(s), StageQueues.ErrorOf(s) }))
        {
            // A missing queue closes the channel, so each queue gets one of its own.
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueuePurgeAsync(queue);
            }
            catch (OperationInterruptedException)
            {
                // Not declared yet: nothing to purge.
            }
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
