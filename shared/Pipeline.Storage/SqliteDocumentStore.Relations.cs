using Microsoft.Data.Sqlite;
using Pipeline.Contracts;
using Pipeline.Relating;

namespace Pipeline.Storage;

public sealed partial class SqliteDocumentStore
{
    private const string UpsertRelationSql = """
        INSERT INTO document_relations (document_id, story_id, duplicate_of, evidence, related_at)
        VALUES ($id, $story, $duplicate_of, $evidence, $related_at)
        ON CONFLICT (document_id) DO UPDATE SET story_id = excluded.story_id, duplicate_of = excluded.duplicate_of,
            evidence = excluded.evidence, related_at = excluded.related_at;
        DELETE FROM entity_links WHERE document_id = $id;
        """;

    private const string InsertLinkSql =
        "INSERT INTO entity_links (document_id, in_title, ordinal, entity_id) VALUES ($id, $in_title, $ordinal, $entity)";

    private const string UpsertArchiveEntitySql = """
        INSERT INTO archive_entities (entity_id, type, name, aliases) VALUES ($entity, $type, $name, $aliases)
        ON CONFLICT (entity_id) DO UPDATE SET type = excluded.type, name = excluded.name, aliases = excluded.aliases
        """;

    // One decision at a time in this process; BEGIN IMMEDIATE makes other processes on the file wait their turn.
    private readonly SemaphoreSlim _relateGate = new(1, 1);

    /// <inheritdoc />
    public async Task<DocumentRelated> RelateAsync(Func<IArchiveIndex, CancellationToken, Task<DocumentRelated>> decide, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decide);
        await InitializeAsync(ct);
        await _relateGate.WaitAsync(ct);
        try
        {
            return await RunAsync(
                async token =>
                {
                    await using var connection = await OpenAsync(token);
                    await AttachIndexAsync(connection, token);
                    // BEGIN IMMEDIATE takes both files' write locks. In WAL mode each file commits atomically on its
                    // own, so a crash may keep one half; the redelivery repairs either: a decision the index holds is
                    // returned as it was and its rows written again, one it lacks is decided again.
                    await using var transaction = connection.BeginTransaction(deferred: false);
                    var decision = await decide(new SqliteArchiveIndex(connection, transaction), token);
                    await WriteRelationAsync(connection, transaction, decision, token);
                    await transaction.CommitAsync(token);
                    return decision;
                },
                ct);
        }
        finally
        {
            _relateGate.Release();
        }
    }

    private static async Task WriteRelationAsync(
        SqliteConnection connection, SqliteTransaction transaction, DocumentRelated decision, CancellationToken ct)
    {
        await using (var relation = Command(connection, transaction, UpsertRelationSql))
        {
            relation.Parameters.AddWithValue("$id", decision.DocumentId);
            relation.Parameters.AddWithValue("$story", decision.StoryId);
            relation.Parameters.AddWithValue("$duplicate_of", (object?)decision.DuplicateOf ?? DBNull.Value);
            relation.Parameters.AddWithValue("$evidence", StorageJson.Serialize(decision.Evidence));
            relation.Parameters.AddWithValue("$related_at", Timestamp(decision.RelatedAt));
            await relation.ExecuteNonQueryAsync(ct);
        }

        await using var link = Command(connection, transaction, InsertLinkSql);
        foreach (var (inTitle, ordinal, entityId) in RelationRows.Links(decision))
        {
            link.Parameters.Clear();
            link.Parameters.AddWithValue("$id", decision.DocumentId);
            link.Parameters.AddWithValue("$in_title", inTitle);
            link.Parameters.AddWithValue("$ordinal", ordinal);
            link.Parameters.AddWithValue("$entity", entityId);
            await link.ExecuteNonQueryAsync(ct);
        }

        await using var entity = Command(connection, transaction, UpsertArchiveEntitySql);
        foreach (var e in RelationRows.Entities(decision))
        {
            entity.Parameters.Clear();
            entity.Parameters.AddWithValue("$entity", e.EntityId);
            entity.Parameters.AddWithValue("$type", e.Type);
            entity.Parameters.AddWithValue("$name", e.Name);
            entity.Parameters.AddWithValue("$aliases", StorageJson.Serialize(e.Aliases));
            await entity.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The relater's index in the index file's tables <c>archive_records</c> and <c>archive_postings</c>, inside the decision's transaction.</summary>
    private sealed class SqliteArchiveIndex(SqliteConnection connection, SqliteTransaction transaction) : IArchiveIndex
    {
        public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(
            IReadOnlyCollection<string> keys, int limitPerKey, CancellationToken ct)
        {
            var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            await using var command = Command(
                connection,
                transaction,
                "SELECT id FROM (SELECT id, seq FROM relate.archive_postings WHERE key = $key ORDER BY seq DESC LIMIT $limit) ORDER BY seq");
            var key = command.Parameters.Add("$key", SqliteType.Text);
            command.Parameters.AddWithValue("$limit", limitPerKey);
            foreach (var k in keys.Distinct(StringComparer.Ordinal))
            {
                key.Value = k;
                var ids = new List<string>();
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    while (await reader.ReadAsync(ct))
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                if (ids.Count > 0)
                {
                    found[k] = ids;
                }
            }

            return found;
        }

        public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string kind, IReadOnlyCollection<string> ids, CancellationToken ct)
        {
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            await using var command = Command(connection, transaction, "SELECT json FROM relate.archive_records WHERE kind = $kind AND id = $id");
            command.Parameters.AddWithValue("$kind", kind);
            var id = command.Parameters.Add("$id", SqliteType.Text);
            foreach (var i in ids)
            {
                id.Value = i;
                if (await command.ExecuteScalarAsync(ct) is string json)
                {
                    found[i] = json;
                }
            }

            return found;
        }

        public async Task WriteAsync(ArchiveChanges changes, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(changes);
            await using var record = Command(
                connection,
                transaction,
                "INSERT INTO relate.archive_records (kind, id, json) VALUES ($kind, $id, $json) ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json");
            var (kind, id, json) = (record.Parameters.Add("$kind", SqliteType.Text), record.Parameters.Add("$id", SqliteType.Text),
                record.Parameters.Add("$json", SqliteType.Text));
            foreach (var r in changes.Records)
            {
                (kind.Value, id.Value, json.Value) = (r.Kind, r.Id, r.Json);
                await record.ExecuteNonQueryAsync(ct);
            }

            await using var posting = Command(connection, transaction, "INSERT OR IGNORE INTO relate.archive_postings (key, id) VALUES ($key, $id)");
            var (key, postedId) = (posting.Parameters.Add("$key", SqliteType.Text), posting.Parameters.Add("$id", SqliteType.Text));
            foreach (var p in changes.Postings)
            {
                (key.Value, postedId.Value) = (p.Key, p.Id);
                await posting.ExecuteNonQueryAsync(ct);
            }
        }
    }
}
