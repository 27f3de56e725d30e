using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Pipeline.Hosting;

/// <summary>
/// Ready only while the broker (one node of it, at least) accepts connections. MassTransit's own check covers
/// receive endpoints; a stage that only publishes (ingest) has none, and would otherwise look ready through a broker
/// outage.
/// </summary>
public sealed class BrokerReachableHealthCheck(IOptions<MessagingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.UsesRabbitMq)
        {
            return HealthCheckResult.Healthy("in-memory transport");
        }

        // Any node will do: the bus moves to a survivor when its own node goes away.
        var nodes = options.Value.BrokerNodes();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        var failures = new List<Exception>();
        foreach (var node in nodes)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(node.Host, node.Port, timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                failures.Add(ex);
            }
        }

        return HealthCheckResult.Unhealthy(
            $"broker unreachable: {string.Join(", ", nodes.Select(n => $"{n.Host}:{n.Port}"))}", new AggregateException(failures));
    }
}
