// One pipeline host at a time in this test process: each collection shares one fixture (one pipeline run over
// the seeds), and the collections run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Pipeline.Api.Tests;

[CollectionDefinition(Name)]
public sealed class SqlitePipeline : ICollectionFixture<SqliteApiFixture>
{
    public const string Name = "SQLite pipeline";
}

[CollectionDefinition(Name)]
public sealed class PostgresPipeline : ICollectionFixture<PostgresApiFixture>
{
    public const string Name = "PostgreSQL pipeline";
}
