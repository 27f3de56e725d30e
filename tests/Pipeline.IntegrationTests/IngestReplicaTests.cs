using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MassTransit;
using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>
/// Two built ingest services as processes on one drop folder and a real RabbitMQ; the test counts every
/// <see cref="DocumentIngested"/> the broker delivers. One replica is frozen while it holds a claim and SIGKILLed.
/// </summary>
[Trait("Category", "Servers")]
public sealed class IngestReplicaTests(RabbitMqServer rabbitMq) : IClassFixture<RabbitMqServer>, IAsyncLifetime
{
    private const int FileCount = 300;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-replicas-").FullName;
    private readonly ConcurrentQueue<(string FileName, string DocumentId, int ProcessId)> _published = new();
    private readonly Dictionary<string, ServiceProcess> _replicas = [];
    private IBusControl? _counter;

    private string DropFolder => Path.Combine(_root, "drop");

    private string ClaimsFolder => Path.Combine(DropFolder, ".claims");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DropFolder);
        // Bound to the exchange before any file is published, so it sees every message.
        _counter = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(rabbitMq.Uri));
            cfg.ReceiveEndpoint("ingest-replica-count", e => e.Handler<DocumentIngested>(context =>
            {
                _published.Enqueue((context.Message.FileName, context.Message.DocumentId, context.Host.ProcessId));
                return Task.CompletedTask;
            }));
        });
        await _counter.StartAsync();

        foreach (var id in new[] { "a", "b" })
        {
            _replicas[id] = await ServiceProcess.StartReadyAsync(
                "Pipeline.Ingest",
                new Dictionary<string, string>
                {
                    ["Messaging__RabbitMq"] = rabbitMq.Uri,
                    ["Messaging__MessageDataFolder"] = Path.Combine(_root, "message-data"),
                    ["Ingest__DropFolder"] = DropFolder,
                    ["Ingest__ReplicaId"] = id,
                    ["Ingest__ClaimLease"] = "00:00:03",
                    ["Ingest__SettleTime"] = "00:00:00.200",
                    ["Ingest__RescanInterval"] = "00:00:00.500",
                },
                Patience);
        }
    }

    [Fact]
    public async Task Every_file_is_published_once_and_archived_when_a_replica_dies_holding_claims()
    {
        var names = Enumerable.Range(1, FileCount).Select(n => $"story-{n:D3}.txt").ToList();
        var feed = Task.Run(async () =>
        {
            foreach (var name in names)
            {
                TestDocuments.Drop(DropFolder, name, Encoding.UTF8.GetBytes($"Story {name}\n\nThe harbour council met for the {name} time."));
                await Task.Delay(20);
            }
        });

        // Mid-run, freeze replica a until its claim folder holds a file it has not archived, then SIGKILL it there.
        await TestDocuments.EventuallyAsync(() => Task.FromResult(_published.Count >= FileCount / 4), Patience, Describe);
        var abandoned = await KillHoldingClaimsAsync(_replicas["a"], Path.Combine(ClaimsFolder, "a"));
        await feed;

        await TestDocuments.EventuallyAsync(() => Task.FromResult(Archived().Count == FileCount), Patience, Describe);
        await Task.Delay(TimeSpan.FromSeconds(2)); // A second publish of anything would arrive by now.

        // Every file once; only a file the dead replica held may have gone out twice (published, killed before it
        // was archived). Both replicas did part of the work before the kill.
        var byName = _published.GroupBy(p => p.FileName).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(names.Order(), byName.Keys.Order());
        var twice = byName.Where(p => p.Value.Count > 1).Select(p => p.Key).ToList();
        Assert.All(twice, name => Assert.Contains(name, abandoned));
        Assert.All(byName.Values, p => Assert.InRange(p.Count, 1, 2));
        Assert.All(byName.Values, p => Assert.Single(p.Select(m => m.DocumentId).Distinct()));
        Assert.Contains(_published, p => p.ProcessId == _replicas["a"].Id);
        Assert.Contains(_published, p => p.ProcessId == _replicas["b"].Id);

        // None left behind: every file archived once, the drop folder empty, and only the live replica's claim folder left, empty.
        Assert.Equal(names.Order(), Archived().Order());
        Assert.Empty(Directory.GetFiles(DropFolder));
        Assert.Equal([Path.Combine(ClaimsFolder, "b")], Directory.GetDirectories(ClaimsFolder));
        Assert.All(Directory.GetFiles(Path.Combine(ClaimsFolder, "b")), f => Assert.StartsWith(".", Path.GetFileName(f), StringComparison.Ordinal));
        Console.WriteLine($"replicas: {FileCount} files, {abandoned.Count} held by the killed replica, {twice.Count} published twice");
    }

    /// <summary>
    /// Stops the process (SIGSTOP) whenever its claim folder holds a file, and SIGKILLs it there; otherwise lets it
    /// go on and tries again. Returns the names it held when it died.
    /// </summary>
    private async Task<IReadOnlyList<string>> KillHoldingClaimsAsync(ServiceProcess replica, string claimFolder)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await SignalAsync(replica.Id, "STOP");
            var held = Directory.GetFiles(claimFolder).Select(f => Path.GetFileName(f)).Where(n => !n.StartsWith('.')).ToList();
            if (held.Count > 0)
            {
                await SignalAsync(replica.Id, "KILL");
                await replica.WaitForExitAsync(Patience);
                return held;
            }

            await SignalAsync(replica.Id, "CONT");
            await Task.Delay(15);
        }

        Assert.Fail($"replica never held a claim: {Describe()}");
        return [];
    }

    private static async Task SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private List<string> Archived() =>
        [.. Directory.GetFiles(Path.Combine(DropFolder, ".archive")).Select(f => Path.GetFileName(f))];

    private string Describe()
    {
        var files = string.Join(", ", Directory.EnumerateFiles(DropFolder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(DropFolder, f)).Where(f => !f.StartsWith(".archive", StringComparison.Ordinal)));
        return $"published {_published.Count}, archived {Archived().Count}; files: {files}{Environment.NewLine}"
            + string.Join(Environment.NewLine, _replicas.Select(r => $"--- {r.Key} ---{Environment.NewLine}{r.Value.Output}"));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas.Values)
        {
            await replica.DisposeAsync();
        }

        if (_counter is not null)
        {
            await _counter.StopAsync();
        }

        Directory.Delete(_root, recursive: true);
    }
}
