using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.Hosting;
using Pipeline.ReadSide;

namespace Pipeline.Api.Tests;

/// <summary>Queue figures when no node's management API answers: none from the broker, and the page says so.</summary>
public sealed class QueueStatisticsTests
{
    [Fact]
    public async Task Without_an_answering_node_there_are_no_broker_figures_and_the_figures_are_called_partial()
    {
        var api = Options.Create(new ApiOptions { RabbitMqManagement = "http://guest:guest@rabbitmq-1.invalid:15672/" });
        var messaging = Options.Create(new MessagingOptions
        {
            RabbitMq = "amqp://guest:guest@rabbitmq-1.invalid:5672/",
            ClusterNodes = "rabbitmq-2.invalid,rabbitmq-3.invalid",
        });
        using var statistics = new QueueStatistics(api, messaging, NullLogger<QueueStatistics>.Instance);

        Assert.True(statistics.FromBroker);
        Assert.Null(await statistics.GetAsync(default));
        Assert.StartsWith("Partial: no node's RabbitMQ management API answered", QueueStatistics.PartialWarning(true, true, false), StringComparison.Ordinal);
        Assert.StartsWith("Partial: no RabbitMQ management API is configured", QueueStatistics.PartialWarning(true, false, false), StringComparison.Ordinal);
        Assert.Null(QueueStatistics.PartialWarning(true, true, true));
        Assert.Null(QueueStatistics.PartialWarning(false, false, false));
    }
}
