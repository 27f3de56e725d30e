using Pipeline.Hosting;
using Pipeline.Testing;
using RabbitMQ.Client;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The options for a RabbitMQ cluster, as service processes on a real broker: the first node named does not
/// answer, so the services must take the next one, and the stage queues must be quorum queues, error queue too.
/// (The compose test kills a node of a real three-node cluster.)
/// </summary>
[Trait("Category", "Servers")]
public sealed class BrokerClusterOptionsTests(RabbitMqServer rabbitMq) : IClassFixture<RabbitMqServer>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-cluster-").FullName;
    private readonly List<ServiceProcess> _services = [];

    private string DropFolder => Path.Combine(_root, "drop");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DropFolder);
        foreach (var service in new[] { "Pipeline.Clean", "Pipeline.Ingest" })
        {
            await StartAsync(service);
        }
    }

    private async Task<ServiceProcess> StartAsync(string service)
    {
        var broker = new Uri(rabbitMq.Uri);
        // Nothing listens on a port just found free: the first node is down.
        var firstNodeDown = new UriBuilder(broker) { Port = ServiceProcess.FreePort() }.Uri;
        var process = await ServiceProcess.StartReadyAsync(
            service,
            new Dictionary<string, string>
            {
                ["Messaging__RabbitMq"] = firstNodeDown.ToString(),
                ["Messaging__ClusterNodes"] = $"{broker.Host}:{broker.Port}",
                ["Messaging__QuorumQueues"] = "true",
                ["Ingest__DropFolder"] = DropFolder,
                ["Messaging__MessageDataFolder"] = Path.Combine(_root, "message-data"),
                ["Messaging__Retry__IntervalsMs__0"] = "100",
            },
            Patience);
        _services.Add(process);
        return process;
    }

    [Fact]
    public async Task Stages_take_the_next_node_when_the_first_is_down_and_declare_quorum_queues()
    {
        // A file clean refuses: published by ingest, taken by clean, given up on into clean_error.
        TestDocuments.Drop(DropFolder, "photo.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x00, 0x00, 0x01]);
        await TestDocuments.EventuallyAsync(
            async () => (await rabbitMq.QueueDepthsAsync()).GetValueOrDefault("clean_error") == 1,
            Patience,
            () => string.Join(Environment.NewLine, _services.Select(s => s.Output)));

        var types = await rabbitMq.QueueTypesAsync();
        Assert.Equal("quorum", types["clean"]);
        Assert.Equal("quorum", types["clean_error"]);
    }

    [Fact]
    public async Task A_message_the_queue_handed_out_too_often_goes_to_the_error_queue_with_the_reason()
    {
        // Clean away, a document waits in its quorum queue; then ten deliveries end unacknowledged, as when the
        // process that took it is killed each time (or the broker closes its channel).
        await _services[0].DisposeAsync();
        _services.RemoveAt(0);
        TestDocuments.Drop(DropFolder, TestDocuments.WireSeed, TestDocuments.Seed(TestDocuments.WireSeed));
        await TestDocuments.EventuallyAsync(
            async () => (await rabbitMq.QueueDepthsAsync()).GetValueOrDefault("clean") == 1,
            Patience,
            () => string.Join(Environment.NewLine, _services.Select(s => s.Output)));
        await using (var connection = await new ConnectionFactory { Uri = new Uri(rabbitMq.Uri) }.CreateConnectionAsync())
        {
            for (var delivery = 0; delivery < 10; delivery++)
            {
                await using var channel = await connection.CreateChannelAsync();
                Assert.NotNull(await channel.BasicGetAsync("clean", autoAck: false));
            }
        }

        await StartAsync("Pipeline.Clean");

        await TestDocuments.EventuallyAsync(
            async () => (await rabbitMq.QueueDepthsAsync()).GetValueOrDefault("clean_error") == 1,
            Patience,
            () => string.Join(Environment.NewLine, _services.Select(s => s.Output)));
        var error = Assert.Single(await new ErrorQueues(new Uri(rabbitMq.Uri)).ListAsync(["Clean"], default));
        Assert.Equal(TestDocuments.WireSeed, error.FileName);
        Assert.Contains("delivered 10 times", error.Reason, StringComparison.Ordinal);
        Assert.Equal(0, (await rabbitMq.QueueDepthsAsync()).GetValueOrDefault("clean"));
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}
