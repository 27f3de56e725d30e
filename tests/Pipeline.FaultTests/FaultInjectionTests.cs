using System.Diagnostics;
using Npgsql;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Stages;
using Pipeline.Testing;

namespace Pipeline.FaultTests;

/// <summary>
/// Nothing lost, nothing doubled: two replicas of every stage as separate processes on a real RabbitMQ and
/// PostgreSQL, fed thousands of generated documents plus hostile files, while workers are SIGKILLed and
/// restarted, the broker is stopped for 10 s, the database is stopped for 10 s, files are dropped twice and
/// written slowly. Then every distinct valid input must be stored exactly once and every poison file set aside
/// with a reason.
/// </summary>
[Trait("Category", "Servers")]
public sealed class FaultInjectionTests(RabbitMqServer rabbitMq, RestartablePostgresServer postgres)
    : IClassFixture<RabbitMqServer>, IClassFixture<RestartablePostgresServer>, IDisposable
{
    private const int DocumentCount = 2000;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(6);
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-faults-").FullName;

    private string DropFolder => Path.Combine(_root, "drop");

    [Fact]
    public async Task Every_distinct_input_is_stored_exactly_once_and_every_poison_file_is_set_aside()
    {
        Directory.CreateDirectory(DropFolder);
        var database = await postgres.CreateDatabaseAsync();
        var documents = Corpus.Documents(DocumentCount, seed: 11);
        var hostile = Corpus.Hostile(System.Text.Encoding.UTF8.GetString(documents[1].Content));
        var duplicates = documents.Take(100).Select(d => d with { Name = "again-" + d.Name }).ToList();
        var expected = documents.Concat(hostile).Where(f => f.Valid).Select(f => DocumentId.FromContent(f.Content)).ToHashSet();

        await using var workers = new Workers(new Dictionary<string, string>
        {
            ["Messaging__RabbitMq"] = rabbitMq.Uri,
            ["Messaging__MessageDataFolder"] = Path.Combine(_root, "message-data"),
            ["Messaging__Retry__IntervalsMs__0"] = "100",
            ["Messaging__Retry__IntervalsMs__1"] = "200",
            ["Messaging__Retry__IntervalsMs__2"] = "400",
            ["Storage__PostgresConnectionString"] = database,
            ["Ingest__DropFolder"] = DropFolder,
            // Well above the slow writer's 100 ms pauses even when the loaded machine stretches them: a writer that
            // pauses longer than the settle time has, by definition, a complete file (see IngestOptions.SettleTime).
            ["Ingest__SettleTime"] = "00:00:01",
            ["Ingest__RescanInterval"] = "00:00:01",
        });
        await workers.StartAsync(replicas: 2, Patience);

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var faults = new FaultLog();
        var chaos = Task.Run(() => ChaosAsync(workers, faults, stop.Token));
        await FeedAsync(documents, hostile, duplicates);

        try
        {
            await EventuallyAsync(async () => await StoredIdsAsync(database) is var ids && ids.Count >= expected.Count, Patience, workers);
        }
        finally
        {
            await stop.CancelAsync();
            await chaos;
        }

        // The database restarted, perhaps after the last read above: a connection pooled before the restart is dead,
        // its first use fails, and a count read through it would say nothing is stored.
        NpgsqlConnection.ClearAllPools();
        await EventuallyAsync(QueuesDrainedAsync, Patience, workers);
        var stored = await StoredIdsAsync(database);
        var lost = expected.Except(stored).Count();
        var unexpected = stored.Except(expected).Count();
        var duplicated = await DuplicatedRowsAsync(database);
        var unrelated = await UnrelatedCountAsync(database);
        var setAside = await SetAsideAsync();
        var poison = hostile.Where(f => !f.Valid).Select(f => f.Name).Append("huge.txt").ToList();
        var summary =
            $"faults: {faults.Kills} kills, {faults.BrokerRestarts} broker restart, {faults.DatabaseRestarts} db restart; " +
            $"documents: {expected.Count} in, {stored.Count} stored, {lost} lost, {duplicated} duplicated, {unrelated} not related; " +
            $"poison: {poison.Count} in, {poison.Count(setAside.ContainsKey)} set aside with a reason; {clock.Elapsed.TotalSeconds:F0} s";
        TestSummary.Write("fault", summary);

        Assert.True(faults.Kills >= 5, summary);
        // Halfway through the broker's outage every worker says it is not ready (and all of them kept running).
        Assert.Equal(0, faults.ReadyDuringBrokerOutage);
        await EventuallyAsync(async () => await workers.ReadyCountAsync() == workers.Count, Patience, workers);
        Assert.Equal(1, faults.BrokerRestarts);
        Assert.Equal(1, faults.DatabaseRestarts);
        Assert.Equal(0, lost);
        Assert.Equal(0, unexpected);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, unrelated);
        foreach (var name in poison)
        {
            Assert.True(setAside.TryGetValue(name, out var reason) && reason.Length > 0, $"{name} not set aside: {summary}");
        }

        var validNames = documents.Concat(hostile).Concat(duplicates).Where(f => f.Valid).Select(f => f.Name).ToHashSet();
        Assert.DoesNotContain(setAside.Keys, validNames.Contains);
        await AssertEntitiesMatchAnOfflineRunAsync(database, documents.Take(50));
    }

    /// <summary>Drops documents in batches over ~20 s, some written slowly in place, then the duplicates.</summary>
    private async Task FeedAsync(IReadOnlyList<CorpusFile> documents, IReadOnlyList<CorpusFile> hostile, IReadOnlyList<CorpusFile> duplicates)
    {
        foreach (var file in hostile)
        {
            Drop(file);
        }

        await using (var huge = new FileStream(Path.Combine(DropFolder, "huge.txt"), FileMode.CreateNew))
        {
            huge.SetLength(200L * 1024 * 1024);
        }

        for (var i = 0; i < documents.Count; i++)
        {
            if (i % 100 == 7)
            {
                await WriteSlowlyAsync(documents[i]);
            }
            else
            {
                Drop(documents[i]);
            }

            if (i % 50 == 49)
            {
                await Task.Delay(500);
            }
        }

        foreach (var file in duplicates)
        {
            Drop(file);
        }
    }

    /// <summary>Writes a file under its final name in pieces, touching it while ingest watches, as a slow copy does.</summary>
    private async Task WriteSlowlyAsync(CorpusFile file)
    {
        await using var stream = new FileStream(Path.Combine(DropFolder, file.Name), FileMode.CreateNew);
        foreach (var chunk in file.Content.Chunk(Math.Max(1, file.Content.Length / 4)))
        {
            await stream.WriteAsync(chunk);
            await stream.FlushAsync();
            await Task.Delay(100);
        }
    }

    private void Drop(CorpusFile file)
    {
        var target = Path.Combine(DropFolder, file.Name);
        File.WriteAllBytes(target + ".part", file.Content);
        File.Move(target + ".part", target);
    }

    /// <summary>Kills a random worker every 3 s; stops the broker at 5 s and the database at 25 s, 10 s each.</summary>
    private async Task ChaosAsync(Workers workers, FaultLog faults, CancellationToken stop)
    {
        var random = new Random(5);
        var clock = Stopwatch.StartNew();
        var outages = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
            await rabbitMq.StopAsync();
            await Task.Delay(Outage / 2, CancellationToken.None);
            faults.ReadyDuringBrokerOutage = await workers.ReadyCountAsync();
            await Task.Delay(Outage / 2, CancellationToken.None);
            await rabbitMq.StartAsync();
            faults.BrokerRestarts++;
            await Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None);
            await postgres.StopAsync();
            await Task.Delay(Outage, CancellationToken.None);
            await postgres.StartAsync();
            faults.DatabaseRestarts++;
        }, CancellationToken.None);

        while (!stop.IsCancellationRequested || !outages.IsCompleted)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(3), stop);
            }
            catch (OperationCanceledException)
            {
                await outages;
                break;
            }

            await workers.KillAndRestartAsync(random);
            faults.Kills++;
        }
    }

    private static async Task<HashSet<string>> StoredIdsAsync(string database)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT document_id FROM documents", connection);
            await using var reader = await command.ExecuteReaderAsync();
            var ids = new HashSet<string>();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        }
        catch (NpgsqlException)
        {
            return []; // The database is in its outage (or the schema not made yet).
        }
        catch (System.Net.Sockets.SocketException)
        {
            return [];
        }
    }

    /// <summary>Entity or keyword rows that a redelivery wrote twice (same document, same offsets and text).</summary>
    private static async Task<long> DuplicatedRowsAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM (SELECT 1 FROM entities GROUP BY document_id, start_offset, end_offset, text, type HAVING count(*) > 1) e)
                 + (SELECT count(*) FROM (SELECT 1 FROM keywords GROUP BY document_id, keyword HAVING count(*) > 1) k)
            """,
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stored documents the relate stage has not decided: each must have one decision once the queues drain.</summary>
    private static async Task<long> UnrelatedCountAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_relations r WHERE r.document_id = d.document_id)",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stored entities of a sample are exactly what the cores give offline: nothing added by a redelivery.</summary>
    private static async Task AssertEntitiesMatchAnOfflineRunAsync(string database, IEnumerable<CorpusFile> sample)
    {
        var processor = DocumentProcessor.CreateDefault();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var file in sample)
        {
            var offline = processor.Process(file.Name, file.Content, DateTimeOffset.UtcNow);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM entities WHERE document_id = @id", connection);
            command.Parameters.AddWithValue("id", offline.DocumentId);
            Assert.Equal(offline.Analysis.Entities.Count, (long)(await command.ExecuteScalarAsync())!);
        }
    }

    /// <summary>Every file set aside, by name, with its reason: the failed folder and the error queues.</summary>
    private async Task<Dictionary<string, string>> SetAsideAsync()
    {
        var folder = new Stages.Ingest.DropFolder(new Stages.Ingest.IngestOptions { DropFolder = DropFolder }, TimeProvider.System);
        var setAside = folder.FailedFiles().ToDictionary(f => f.File.Name, f => f.Reason);
        var stages = new[] { PipelineStages.CleanName, PipelineStages.ExtractName, PipelineStages.StoreName, PipelineStages.RelateName };
        foreach (var message in await new ErrorQueues(new Uri(rabbitMq.Uri)).ListAsync(stages, CancellationToken.None))
        {
            setAside[message.FileName ?? message.Queue] = message.Reason;
        }

        return setAside;
    }

    private async Task<bool> QueuesDrainedAsync()
    {
        for (var check = 0; check < 3; check++)
        {
            var depths = await rabbitMq.QueueDepthsAsync();
            if (depths.Any(q => !q.Key.EndsWith("_error", StringComparison.Ordinal) && q.Value > 0)
                || Directory.EnumerateFiles(DropFolder).Any())
            {
                return false;
            }

            await Task.Delay(500);
        }

        return true;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Workers workers)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not done after {timeout}:{Environment.NewLine}{workers.Output()}");
            }

            await Task.Delay(500);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class FaultLog
    {
        public int Kills { get; set; }

        public int BrokerRestarts { get; set; }

        public int DatabaseRestarts { get; set; }

        public int ReadyDuringBrokerOutage { get; set; } = -1;
    }
}
