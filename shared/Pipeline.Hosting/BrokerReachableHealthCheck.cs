using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Pipeline.Hosting;

/// <summary>
/// Ready only while the broker accepts connections. MassTransit's own check covers receive endpoints; a stage
/// that only publishes (ingest) has none, and would otherwise look ready through a broker outage.
/// </summary>
public sealed class BrokerReachableHealthCheck(IOptions<MessagingOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.UsesRabbitMq)
        {
            return HealthCheckResult.Healthy("in-memory transport");
        }

        var broker = new Uri(options.Value.RabbitMq!);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(broker.Host, broker.IsDefaultPort || broker.Port < 0 ? 5672 : broker.Port, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"broker {broker.Host}:{broker.Port} unreachable", ex);
        }
    }
}
