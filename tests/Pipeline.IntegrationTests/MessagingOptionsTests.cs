using System.Net;
using Pipeline.Hosting;

namespace Pipeline.IntegrationTests;

public sealed class MessagingOptionsTests
{
    [Fact]
    public void Broker_nodes_are_the_uri_host_then_the_cluster_nodes_in_order_each_once()
    {
        var options = new MessagingOptions { RabbitMq = "amqp://u:p@rabbitmq:5673/vhost", ClusterNodes = " rabbitmq-2, rabbitmq-3:5674,rabbitmq:5673," };

        Assert.Equal(
            [new DnsEndPoint("rabbitmq", 5673), new DnsEndPoint("rabbitmq-2", 5673), new DnsEndPoint("rabbitmq-3", 5674)],
            options.BrokerNodes());
    }

    [Fact]
    public void Without_cluster_nodes_the_broker_is_its_uri_with_the_default_port()
    {
        Assert.Equal([new DnsEndPoint("broker", 5672)], new MessagingOptions { RabbitMq = "amqp://broker/" }.BrokerNodes());
    }

    [Theory]
    [InlineData("rabbitmq-2:abc")]
    [InlineData("rabbitmq-2:0")]
    [InlineData("[::1]:5672")]
    public void A_node_that_is_not_host_or_host_and_port_is_refused_with_its_setting_named(string node)
    {
        var options = new MessagingOptions { RabbitMq = "amqp://broker/", ClusterNodes = node };

        Assert.Contains("Messaging:ClusterNodes", Assert.Throws<FormatException>(() => options.BrokerNodes()).Message, StringComparison.Ordinal);
    }
}
