using System.Globalization;
using System.Net;

namespace Pipeline.Hosting;

/// <summary>How the stages reach each other. Section <c>Messaging</c>; environment: <c>Messaging__RabbitMq</c>.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>
    /// AMQP URI of the RabbitMQ broker, e.g. <c>amqp://guest:guest@localhost:5672/</c>.
    /// Empty means MassTransit's in-memory transport: every stage must then run in this process.
    /// </summary>
    public string? RabbitMq { get; set; }

    /// <summary>
    /// The other nodes of the broker's cluster, comma-separated, each <c>host</c> or <c>host:port</c>, e.g.
    /// <c>rabbitmq-2,rabbitmq-3</c>. The services try the host of <see cref="RabbitMq"/>, then these, in order, with
    /// its credentials and virtual host; when their node goes away, they move to a survivor on their own.
    /// </summary>
    public string? ClusterNodes { get; set; }

    /// <summary>
    /// Declare every stage queue (and its <c>_error</c> queue) as a quorum queue, replicated on every node of the
    /// cluster, so the loss of one node loses no message and stops no stage. Queues keep their type once
    /// declared: switching an existing deployment needs its stage queues deleted first.
    /// </summary>
    public bool QuorumQueues { get; set; }

    /// <summary>
    /// The broker has the delayed-message-exchange plugin, so failed messages can be redelivered later
    /// through the broker. Without it (a stock RabbitMQ), only in-process retries run before the error queue.
    /// The in-memory transport always supports delayed redelivery.
    /// </summary>
    public bool DelayedExchange { get; set; }

    /// <summary>
    /// Folder of the claim-check repository with RabbitMQ: raw files (larger than <see cref="InlineBytes"/>) are
    /// written here and the message carries only their address. Every stage must see the same folder (a shared
    /// volume). The store removes a file once its document is committed. The in-memory transport keeps its claim
    /// checks in memory instead (<see cref="InMemoryClaimChecks"/>).
    /// </summary>
    public string MessageDataFolder { get; set; } = "data/message-data";

    /// <summary>
    /// With RabbitMQ, raw files up to this size travel inside the messages; larger ones as claim checks through
    /// <see cref="MessageDataFolder"/>. By default every raw file is a claim check: inline, a page rode in every
    /// message from ingest to the store as base64, and the broker wrote each copy to disk (its classic queues keep
    /// persistent messages on disk); measured, that cost the broker twice the CPU a document and the stages more than
    /// writing, reading and removing one file on the shared volume (docs/benchmarks.md, 2026-12-07, night). The
    /// in-memory transport ignores this: its claim checks stay in memory.
    /// </summary>
    public int InlineBytes { get; set; }

    /// <summary>
    /// An article whose text (with title and description) is longer than this many characters travels from clean to
    /// store as a claim check, and so does its analysis, on either transport: inline, the message would grow with the
    /// page (an analysis adds about as much again as the text) and a page of 16 MB made one that RabbitMQ 4 refuses.
    /// The default keeps the largest inline message at a few MB; almost every article is far shorter.
    /// </summary>
    public int InlineArticleChars { get; set; } = 512 * 1024;

    /// <summary>
    /// A message that a quorum queue has delivered this many times, each ending without an acknowledgement (its
    /// process killed, its channel closed), goes to the stage's <c>_error</c> queue with that reason instead of being
    /// tried again. Below the queue's own delivery limit (RabbitMQ's default is 20), past which it would drop the
    /// message without a trace. Classic queues do not count deliveries.
    /// </summary>
    public int DeliveryLimit { get; set; } = 10;

    /// <summary>
    /// Let MassTransit send its anonymous usage report (bus and endpoint counts, versions) to its makers. Off: nothing
    /// leaves the machine unless asked for.
    /// </summary>
    public bool UsageTelemetry { get; set; }

    public RetryOptions Retry { get; set; } = new();

    public bool UsesRabbitMq => !string.IsNullOrWhiteSpace(RabbitMq);

    /// <summary>Every broker node to try, in order: the host of <see cref="RabbitMq"/>, then <see cref="ClusterNodes"/>.</summary>
    public IReadOnlyList<DnsEndPoint> BrokerNodes()
    {
        var broker = new Uri(RabbitMq!);
        var defaultPort = broker.IsDefaultPort || broker.Port < 0 ? 5672 : broker.Port;
        var others = (ClusterNodes ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(node => node.Split(':') switch
            {
                [var host] => new DnsEndPoint(host, defaultPort),
                [var host, var port] when int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < 65536
                    => new DnsEndPoint(host, number),
                _ => throw new FormatException($"Messaging:ClusterNodes: '{node}' is not a host or host:port"),
            });
        return [.. new[] { new DnsEndPoint(broker.Host, defaultPort) }.Concat(others).Distinct()];
    }
}

/// <summary>Retry policy every stage applies before a message goes to its <c>_error</c> queue.</summary>
public sealed class RetryOptions
{
    /// <summary>In-process retries, each after the matching interval (milliseconds).</summary>
    public int[] IntervalsMs { get; set; } = [200, 1000, 5000];

    /// <summary>
    /// Tries while the database or broker is away (exponential back-off from 1 s to 30 s: the default waits
    /// out about ten minutes of outage) before the message counts as failed.
    /// </summary>
    public int OutageRetryLimit { get; set; } = 25;

    /// <summary>Delayed redeliveries after the in-process retries are spent (seconds).</summary>
    public int[] RedeliverySeconds { get; set; } = [15, 60, 300];
}

/// <summary>Per-stage endpoint settings. Section <c>Stages:&lt;stage&gt;</c>, e.g. <c>Stages__Clean__ConcurrentMessageLimit</c>.</summary>
public sealed class StageOptions
{
    public const string SectionName = "Stages";

    /// <summary>
    /// Messages one process of the stage works on at once; defaults to the core count on the in-memory transport and
    /// twice that on RabbitMQ.
    /// </summary>
    public int? ConcurrentMessageLimit { get; set; }

    /// <summary>Messages the broker hands a process ahead of time; defaults to twice the concurrency.</summary>
    public int? PrefetchCount { get; set; }
}
