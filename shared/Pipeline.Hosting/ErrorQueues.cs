using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Pipeline.Hosting;

/// <summary>A message MassTransit moved to a stage's <c>_error</c> queue, with the reason it gave up.</summary>
public sealed record ErrorQueueMessage(string Stage, string Queue, string? DocumentId, string? FileName, string? ExceptionType, string Reason);

/// <summary>
/// Reads and replays the stages' <c>_error</c> queues on RabbitMQ over plain AMQP (no management plugin needed).
/// Listing takes nothing away: messages are read unacknowledged and return to the queue when the channel closes.
/// Replaying publishes each message back to its stage's queue and removes it from the error queue only after
/// the broker confirmed the copy, so a crash in between duplicates at worst, never loses.
/// </summary>
public sealed class ErrorQueues(Uri broker)
{
    private static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Reason", "MT-Redelivery-Count"];

    public async Task<IReadOnlyList<ErrorQueueMessage>> ListAsync(IEnumerable<string> stages, CancellationToken cancellationToken)
    {
        var messages = new List<ErrorQueueMessage>();
        await using var connection = await Connect(cancellationToken);
        foreach (var stage in stages)
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = StageQueues.ErrorOf(stage);
            if (await StageQueues.CountAsync(connection, queue, cancellationToken) == 0)
            {
                continue;
            }

            while (await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } result)
            {
                messages.Add(Describe(stage, queue, result));
            }
        }

        return messages;
    }

    /// <summary>Moves every message of the stage's error queue back to the stage's queue; returns how many.</summary>
    public async Task<int> ReplayAsync(string stage, CancellationToken cancellationToken)
    {
        var replayed = 0;
        await using var connection = await Connect(cancellationToken);
        var queue = StageQueues.ErrorOf(stage);
        // Only what is there now: a message that fails again comes back to the queue while we work.
        var waiting = await StageQueues.CountAsync(connection, queue, cancellationToken);
        if (waiting == 0)
        {
            return 0;
        }

        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        while (replayed < waiting && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } result)
        {
            var properties = new BasicProperties(result.BasicProperties)
            {
                Headers = result.BasicProperties.Headers?
                    .Where(h => !FaultHeaderPrefixes.Any(p => h.Key.StartsWith(p, StringComparison.Ordinal)))
                    .ToDictionary(h => h.Key, h => h.Value),
            };
            await channel.BasicPublishAsync(string.Empty, StageQueues.Of(stage), mandatory: true, properties, result.Body, cancellationToken);
            await channel.BasicAckAsync(result.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
        }

        return replayed;
    }

    private Task<IConnection> Connect(CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = broker, ClientProvidedName = "pipeline-errors" }.CreateConnectionAsync(cancellationToken);

    private static ErrorQueueMessage Describe(string stage, string queue, BasicGetResult result)
    {
        var headers = result.BasicProperties.Headers;
        string? Header(string name) =>
            headers is not null && headers.TryGetValue(name, out var value)
                ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
                : null;

        string? documentId = null, fileName = null;
        try
        {
            using var envelope = JsonDocument.Parse(result.Body);
            if (envelope.RootElement.TryGetProperty("message", out var message))
            {
                documentId = message.TryGetProperty("documentId", out var id) ? id.GetString() : null;
                fileName = message.TryGetProperty("fileName", out var name) ? name.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not a MassTransit envelope: list it with what the headers say.
        }

        var reason = Header("MT-Fault-Message") ?? Header("MT-Reason") ?? "no reason recorded";
        return new ErrorQueueMessage(stage, queue, documentId, fileName, Header("MT-Fault-ExceptionType"), reason.ReplaceLineEndings(" "));
    }
}
