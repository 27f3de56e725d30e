using System.Globalization;
using Pipeline.Benchmarks.EndToEnd;
using Pipeline.Contracts;
using Pipeline.Relating;
using Pipeline.Storage;
using Pipeline.Testing;

/// <summary>
/// Where relate-scale grows its archive: the in-memory index of <c>pipeline relate</c>, or the embedded store's SQLite
/// file or a PostgreSQL database (the deployed store; the server the tests use), related there as the relate stage
/// does it (the stored document read back, the decision in the store's transaction).
/// </summary>
internal abstract class ScaleArchive : IAsyncDisposable
{
    protected ArchiveRelater Relater { get; } = new();

    public static async Task<ScaleArchive> OpenAsync(string where) => where switch
    {
        "memory" => new Memory(),
        "sqlite" => new Sqlite(Path.Combine(Path.GetTempPath(), $"relate-scale-{Environment.ProcessId}.db")),
        "postgres" => await Postgres.CreateAsync(),
        _ => throw new ArgumentException($"--index is memory, sqlite or postgres, not '{where}'"),
    };

    /// <summary>Stores the documents where the relate stage would find them (nothing to do in memory).</summary>
    public abstract Task StoreAsync(IReadOnlyList<ProcessedDocument> documents);

    public abstract Task RelateAsync(ProcessedDocument document);

    /// <summary>What the archive takes beyond the process's memory, for the report line.</summary>
    public virtual string Describe() => "";

    /// <summary>CPU seconds the database server has used so far (its work is part of a decision's cost; 0 in process).</summary>
    public virtual double ServerCpuSeconds() => 0;

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Memory : ScaleArchive
    {
        private readonly InMemoryArchiveIndex _index = new();

        public override Task StoreAsync(IReadOnlyList<ProcessedDocument> documents) => Task.CompletedTask;

        public override Task RelateAsync(ProcessedDocument document) =>
            Relater.RelateAsync(RelateInput.From(document), _index, CancellationToken.None);
    }

    private sealed class Postgres(PostgresServer server, PostgresDocumentStore store) : ScaleArchive
    {
        public static async Task<ScaleArchive> CreateAsync()
        {
            var server = new PostgresServer();
            await server.InitializeAsync();
            return new Postgres(server, new PostgresDocumentStore(server.ConnectionString));
        }

        public override Task StoreAsync(IReadOnlyList<ProcessedDocument> documents) => store.UpsertManyAsync(documents, CancellationToken.None);

        public override Task RelateAsync(ProcessedDocument document) => StoredRelation.RelateAsync(store, Relater, document.DocumentId);

        public override double ServerCpuSeconds() => ProcessStats.CpuSecondsOfAll("postgres");

        public override string Describe() => "CPU with PostgreSQL's (its writes are not in the bytes written), ";

        public override async ValueTask DisposeAsync()
        {
            await store.DisposeAsync();
            await server.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private sealed class Sqlite(string path) : ScaleArchive
    {
        private readonly SqliteDocumentStore _store = new(path);

        public override Task StoreAsync(IReadOnlyList<ProcessedDocument> documents) => _store.UpsertManyAsync(documents, CancellationToken.None);

        public override Task RelateAsync(ProcessedDocument document) => StoredRelation.RelateAsync(_store, Relater, document.DocumentId);

        public override string Describe()
        {
            long index = Bytes(_store.IndexPath);
            return string.Create(CultureInfo.InvariantCulture, $"database {(Bytes(path) + index) / 1048576} MB, of which the relater's index {index / 1048576} MB, ");
        }

        public override ValueTask DisposeAsync()
        {
            _store.Dispose();
            foreach (var file in new[] { path, _store.IndexPath }.SelectMany(f => new[] { f, f + "-wal", f + "-shm" }).Where(File.Exists))
            {
                File.Delete(file);
            }

            return base.DisposeAsync();
        }

        /// <summary>A database file's bytes with its write-ahead log.</summary>
        private static long Bytes(string file) =>
            new[] { file, file + "-wal" }.Select(f => new FileInfo(f)).Where(f => f.Exists).Sum(f => f.Length);
    }
}
