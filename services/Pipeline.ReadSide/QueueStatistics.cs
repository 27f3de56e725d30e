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
/// </summary>
public sealed partial class QueueStatistics : IDisposable
{
    private readonly HttpClient? _client;
    private readonly string _virtualHost = "/";
    private readonly ILogger<QueueStatistics> _logger;

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
        var baseUri = new Uri(management.EndsWith('/') ? management : management + "/");
        _client = new HttpClient { BaseAddress = new Uri(baseUri, "api/"), Timeout = TimeSpan.FromSeconds(3) };
        if (baseUri.UserInfo.Length > 0)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(baseUri.UserInfo))));
        }
    }

    /// <summary>True when queue figures come from the broker.</summary>
    public bool FromBroker => _client is not null;

    /// <summary>The queues by name, or null when the broker cannot tell (no management API, or it failed).</summary>
    public async Task<IReadOnlyDictionary<string, QueueInfo>?> GetAsync(CancellationToken ct)
    {
        if (_client is null)
        {
            return null;
        }

        try
        {
            var queues = await _client.GetFromJsonAsync<List<ManagementQueue>>(
                $"queues/{Uri.EscapeDataString(_virtualHost)}?columns=name,messages,consumers", ct) ?? [];
            return queues.ToDictionary(q => q.Name, q => new QueueInfo(q.Name, q.Messages ?? 0, q.Consumers ?? 0), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogUnavailable(ex.Message);
            return null;
        }
    }

    public void Dispose() => _client?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "RabbitMQ management API unavailable: {Reason}")]
    private partial void LogUnavailable(string reason);

    private sealed record ManagementQueue(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("messages")] long? Messages,
        [property: JsonPropertyName("consumers")] long? Consumers);
}
