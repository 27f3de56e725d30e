using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Hosting;

/// <summary>The broker queues a stage owns: where its messages wait, and where MassTransit puts those it gave up on.</summary>
public static class StageQueues
{
    public static string Of(string stage) => stage.ToLowerInvariant();

    public static string ErrorOf(string stage) => Of(stage) + "_error";

    /// <summary>
    /// Messages waiting in a queue (ready ones: not those a consumer holds), counted with a passive declare, which is
    /// exact where the management API lags by seconds; 0 when the queue does not exist yet.
    /// </summary>
    public static async Task<uint> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken) =>
        (await DescribeAsync(connection, queue, cancellationToken))?.MessageCount ?? 0;

    /// <summary>
    /// A queue's ready messages and consumers, from a passive declare; null when the queue does not exist. A passive
    /// declare of a missing queue closes its channel, so each one gets a channel of its own.
    /// </summary>
    public static async Task<QueueDeclareOk?> DescribeAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return await probe.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
    }
}
