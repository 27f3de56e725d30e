using System.Text;
using MassTransit;
using MassTransit.MessageData;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Stages;
using Pipeline.Testing;
using RabbitMQ.Client;

namespace Pipeline.IntegrationTests;

/// <summary>
/// The clean service as a process on a real RabbitMQ, given raw files whose claim checks are gone, as the store leaves
/// them once their documents are committed. The broker marks a message redelivered when the process or channel that
/// had it went before acknowledging it; only then does a missing claim check mean the document was handed on already.
/// </summary>
[Trait("Category", "Servers")]
public sealed class ClaimCheckRedeliveryTests(RabbitMqServer rabbitMq) : IClassFixture<RabbitMqServer>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-redelivery-").FullName;

    private string MessageDataFolder => Path.Combine(_root, "message-data");

    [Fact]
    public async Task A_redelivery_without_its_claim_check_is_acknowledged_and_a_first_delivery_fails_with_the_reason()
    {
        // Clean declares its queue and goes, so that the messages wait for it.
        await (await StartCleanAsync()).DisposeAsync();
        var repository = new FileSystemMessageDataRepository(Directory.CreateDirectory(MessageDataFolder));
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(rabbitMq.Uri)));
        await bus.StartAsync();
        try
        {
            foreach (var name in new[] { "handed-on.txt", "never-shared.txt" })
            {
                // Over MassTransit's default threshold (4 KB), below which message data also travels inline.
                var content = Encoding.UTF8.GetBytes($"Harbour council\n\n{string.Concat(Enumerable.Repeat($"The harbour council met about {name}. ", 200))}");
                var claim = await repository.PutBytes(content);
                await bus.Publish(new DocumentIngested(DocumentId.FromContent(content), name, claim, DateTimeOffset.UtcNow));
            }
        }
        finally
        {
            await bus.StopAsync();
        }

        foreach (var file in Directory.EnumerateFiles(MessageDataFolder, "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        // The first message goes back to its queue marked redelivered, as when the process that had it died.
        await using (var connection = await new ConnectionFactory { Uri = new Uri(rabbitMq.Uri) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var taken = await channel.BasicGetAsync(StageQueues.Of(StageNames.Clean), autoAck: false);
            Assert.NotNull(taken);
            Assert.Contains("handed-on.txt", Encoding.UTF8.GetString(taken.Body.Span), StringComparison.Ordinal);
        }

        await using var clean = await StartCleanAsync();
        string Describe() => clean.Output;
        await TestDocuments.EventuallyAsync(
            async () => await rabbitMq.QueueDepthsAsync() is var depths
                && depths.GetValueOrDefault(StageQueues.Of(StageNames.Clean)) == 0
                && depths.GetValueOrDefault(StageQueues.ErrorOf(StageNames.Clean)) == 1,
            Patience,
            Describe);

        var failed = Assert.Single(await new ErrorQueues(new Uri(rabbitMq.Uri)).ListAsync([PipelineStages.CleanName], CancellationToken.None));
        Assert.Equal("never-shared.txt", failed.FileName);
        Assert.Contains("not found", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("an earlier delivery was handed on and stored", clean.Output, StringComparison.Ordinal);
    }

    private Task<ServiceProcess> StartCleanAsync() =>
        ServiceProcess.StartReadyAsync(
            "Pipeline.Clean",
            new Dictionary<string, string>
            {
                ["Messaging__RabbitMq"] = rabbitMq.Uri,
                ["Messaging__MessageDataFolder"] = MessageDataFolder,
                ["Messaging__Retry__IntervalsMs__0"] = "100",
                ["Messaging__Retry__IntervalsMs__1"] = "100",
                ["Messaging__Retry__IntervalsMs__2"] = "100",
            },
            Patience);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
