using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Hosting;
using Pipeline.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The watchdog against a real broker: a queue that holds a message with no consumer stops the service after the
/// checks it is given; the same queue with a consumer on it does not.
/// </summary>
[Trait("Category", "Servers")]
public sealed class StalledQueueWatchdogTests(RabbitMqServer rabbitMq) : IClassFixture<RabbitMqServer>
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_queue_with_messages_and_no_consumer_stops_the_service_and_one_with_a_consumer_does_not(bool consumed)
    {
        var queue = $"watchdog-{Guid.NewGuid():N}";
        await using var connection = await new ConnectionFactory { Uri = new Uri(rabbitMq.Uri) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false);
        await channel.BasicPublishAsync(string.Empty, queue, "a document"u8.ToArray());
        if (consumed)
        {
            // A consumer that holds the message without acknowledging it: the queue keeps it, and has a consumer.
            await using var holder = await connection.CreateChannelAsync();
            await holder.BasicQosAsync(0, 1, false);
            await holder.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(holder));
            await channel.BasicPublishAsync(string.Empty, queue, "another document"u8.ToArray());
            await RunAsync(queue, expectStop: false);
        }
        else
        {
            await RunAsync(queue, expectStop: true);
        }

        await channel.QueueDeleteAsync(queue);
    }

    private async Task RunAsync(string queue, bool expectStop)
    {
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var messaging = new MessagingOptions { RabbitMq = rabbitMq.Uri };
        using var watchdog = new StalledQueueWatchdog(messaging, [queue], lifetime, NullLogger<StalledQueueWatchdog>.Instance, Interval, stalledChecks: 3);
        var exitCode = Environment.ExitCode;
        await watchdog.StartAsync(CancellationToken.None);
        try
        {
            // Three checks take 0.6 s; ten times as long is plenty, and long enough to see that nothing happens.
            var stopped = await Task.WhenAny(Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping), Task.Delay(TimeSpan.FromSeconds(6)))
                is { IsCanceled: true };
            Assert.Equal(expectStop, stopped);
        }
        finally
        {
            await watchdog.StopAsync(CancellationToken.None);
            Environment.ExitCode = exitCode;
        }
    }
}
