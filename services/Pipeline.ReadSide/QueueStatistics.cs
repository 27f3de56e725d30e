using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Hosting;

namespace Pipeline.ReadSide;

/// <summary>One broker queue: messages waiting and consumers attached.</summary>
public sealed record QueueInfo(string Name, long Messages, long Consumers);

/// <summary>
/// Queue depths and consumer counts from the RabbitMQ management API (<see cref="ApiOptions.RabbitMqManagement"/>),
/// for the virtual host of <c>Messaging:RabbitMq</c>. Null when the bus is in-memory or no management API is set.
/// In a cluster every node serves the same figures: the nodes of <c>Messaging:ClusterNodes</c> are asked in turn, at
/// the management API's port and with its credentials, when the one asked last does not answer.
/// </summary>
public sealed partial class QueueStatistics : IDisposable
{
    private readonly HttpClient[] _nodes = [];
    private readonly string _virtualHost = "/";
    private readonly ILogger<QueueStatistics> _logger;
    private int _lastAnswered;

    public QueueStatistics(IOptions<ApiOptions> api, IOptions<MessagingOptions> messaging, ILogger<QueueStatistics> logger)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(messaging);
        _logger = logger;
        var management = api.Value.RabbitMqManagement;
        if (!messaging.Value.UsesRabbitMq || string.IsNullOrWhiteSpace(management))
        {
            return;
        }

        var path = new Uri(messaging.Value.RabbitMq!).AbsolutePath.Trim('/');
        _virtualHost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var first = new Uri(management.EndsWith('/') ? management : management + "/");
        _nodes = [.. messaging.Value.BrokerNodes()
            .Select(node => node.Host)
            .Prepend(first.Host)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(host => Client(new UriBuilder(first) { Host = host }.Uri))];
    }

    /// <summary>True when queue figures come from the broker.</summary>
    public bool FromBroker => _nodes.Length > 0;

    /// <summary>The queues by name, or null when the broker cannot tell (no management API, or no node answered).</summary>
    public async Task<IReadOnlyDictionary<string, QueueInfo>?> GetAsync(CancellationToken ct)
    {
        for (var tried = 0; tried < _nodes.Length; tried++)
        {
            var node = (_lastAnswered + tried) % _nodes.Length;
            try
            {
                var queues = await _nodes[node].GetFromJsonAsync<List<ManagementQueue>>(
                    $"queues/{Uri.EscapeDataString(_virtualHost)}?columns=name,messages,consumers", ct) ?? [];
                _lastAnswered = node;
                return queues.ToDictionary(q => q.Name, q => new QueueInfo(q.Name, q.Messages ?? 0, q.Consumers ?? 0), StringComparer.Ordinal);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                LogUnavailable(_nodes[node].BaseAddress!.Host, ex.Message);
            }
        }

        return null;
    }

    /// <summary>Why queue figures are partial (see <see cref="PipelineResponse.QueueWarning"/>); null when they are not.</summary>
    public static string? PartialWarning(bool usesRabbitMq, bool managementConfigured, bool brokerAnswered) =>
        (usesRabbitMq, managementConfigured, brokerAnswered) switch
        {
            (false, _, _) or (_, _, true) => null,
            (true, false, _) => "Partial: no RabbitMQ management API is configured (Api:RabbitMqManagement); queue figures are what this process saw since it started, and the broker's queues, error queues too, may hold more.",
            (true, true, false) => "Partial: no node's RabbitMQ management API answered; queue figures are what this process saw since it started, and the broker's queues, error queues too, may hold more.",
        };

    private static HttpClient Client(Uri management)
    {
        var client = new HttpClient { BaseAddress = new Uri(management, "api/"), Timeout = TimeSpan.FromSeconds(3) };
        if (management.UserInfo.Length > 0)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(management.UserInfo))));
        }

        return client;
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ management API on {Node} unavailable: {Reason}")]
    private partial void LogUnavailable(string node, string reason);

    private sealed record ManagementQueue(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("messages")] long? Messages,
        [property: JsonPropertyName("consumers")] long? Consumers);
}
