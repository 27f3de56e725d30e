using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Hosting;

/// <summary>
/// Stops the service when a queue it consumes holds messages but has had no consumer for a while. After a broker
/// restart with a message in flight, MassTransit 8.5 can leave a receive endpoint without its consumer and without
/// trying again, while its health check still says healthy (MassTransit issues 2072, 5692, 6095); the service then
/// never takes another message. Stopping with a failure exit code lets the orchestrator start it afresh (compose's
/// <c>restart: unless-stopped</c>, a Kubernetes Deployment), and the new process connects.
/// </summary>
public sealed class StalledQueueWatchdog(
    MessagingOptions messaging,
    IReadOnlyList<string> queues,
    IHostApplicationLifetime lifetime,
    ILogger<StalledQueueWatchdog> logger,
    TimeSpan interval,
    int stalledChecks) : BackgroundService
{
    /// <summary>Time between two looks at the queues.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(20);

    /// <summary>Looks in a row that find messages and no consumer before the service stops (a minute by default), well
    /// beyond the seconds MassTransit takes to reconnect after a broker restart or a node failover.</summary>
    public const int DefaultStalledChecks = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stalled = new Dictionary<string, int>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var connection = await Connect(stoppingToken);
                foreach (var queue in queues)
                {
                    var state = await StageQueues.DescribeAsync(connection, queue, stoppingToken);
                    stalled[queue] = state is { MessageCount: > 0, ConsumerCount: 0 } ? stalled.GetValueOrDefault(queue) + 1 : 0;
                    if (stalled[queue] >= stalledChecks)
                    {
                        logger.LogCritical(
                            "Queue {Queue} has held {Messages} messages with no consumer for {Checks} checks in a row: stopping, to be started afresh",
                            queue, state!.MessageCount, stalled[queue]);
                        Environment.ExitCode = 1;
                        lifetime.StopApplication();
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException)
            {
                // The broker is away: MassTransit waits the outage out, and there is nothing to judge until it is back.
                stalled.Clear();
            }
        }
    }

    private Task<IConnection> Connect(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(messaging.RabbitMq!), ClientProvidedName = "pipeline-watchdog" };
        return factory.CreateConnectionAsync(messaging.BrokerNodes().Select(n => new AmqpTcpEndpoint(n.Host, n.Port)).ToList(), cancellationToken);
    }
}
