using Npgsql;
using NpgsqlTypes;
using Pipeline.Contracts;
using Pipeline.Relating;

namespace Pipeline.Storage;

public sealed partial class PostgresDocumentStore
{
    // Held for the whole of one relate decision, by every replica of the relate stage: they take turns.
    private const long RelateLockKey = 0x50_69_70_65_52_65_6C_61; // "PipeRela"

    private const string UpsertRelationSql = """
        INSERT INTO document_relations (document_id, story_id, duplicate_of, evidence, related_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (document_id) DO UPDATE SET story_id = excluded.story_id, duplicate_of = excluded.duplicate_of,
            evidence = excluded.evidence, related_at = excluded.related_at
        """;

    private const string InsertLinksSql = """
        INSERT INTO entity_links (document_id, in_title, ordinal, entity_id)
        SELECT $1, l.in_title, l.ordinal, l.entity_id FROM unnest($2::boolean[], $3::integer[], $4::text[]) AS l (in_title, ordinal, entity_id)
        """;

    private const string UpsertArchiveEntitiesSql = """
        INSERT INTO archive_entities (entity_id, type, name, aliases)
        SELECT e.entity_id, e.type, e.name, e.aliases::jsonb FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS e (entity_id, type, name, aliases)
        ON CONFLICT (entity_id) DO UPDATE SET type = excluded.type, name = excluded.name, aliases = excluded.aliases
        """;

    /// <inheritdoc />
    public async Task<DocumentRelated> RelateAsync(Func<IArchiveIndex, CancellationToken, Task<DocumentRelated>> decide, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(decide);
        await InitializeAsync(ct);
        return await _pipeline.ExecuteAsync(
            async token =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(token);
                await using var transaction = await connection.BeginTransactionAsync(token);
                await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
                {
                    command.Parameters.Add(Parameter(RelateLockKey));
                    await command.ExecuteNonQueryAsync(token);
                }

                var decision = await decide(new PostgresArchiveIndex(connection, transaction), token);
                await WriteRelationAsync(connection, transaction, decision, token);
                await transaction.CommitAsync(token);
                return decision;
            },
            ct);
    }

    private static async Task WriteRelationAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, DocumentRelated decision, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(WithParameters(
            UpsertRelationSql,
            Parameter(decision.DocumentId),
            Parameter(decision.StoryId),
            NullableText(decision.DuplicateOf),
            new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = StorageJson.Serialize(decision.Evidence) },
            Parameter(decision.RelatedAt.UtcDateTime)));
        batch.BatchCommands.Add(WithParameters("DELETE FROM entity_links WHERE document_id = $1", Parameter(decision.DocumentId)));
        var links = RelationRows.Links(decision);
        batch.BatchCommands.Add(WithParameters(
            InsertLinksSql,
            Parameter(decision.DocumentId),
            Parameter(links.Select(l => l.InTitle).ToArray()),
            Parameter(links.Select(l => l.Ordinal).ToArray()),
            Parameter(links.Select(l => l.EntityId).ToArray())));
        var entities = RelationRows.Entities(decision);
        batch.BatchCommands.Add(WithParameters(
            UpsertArchiveEntitiesSql,
            Parameter(entities.Select(e => e.EntityId).ToArray()),
            Parameter(entities.Select(e => e.Type).ToArray()),
            Parameter(entities.Select(e => e.Name).ToArray()),
            Parameter(entities.Select(e => StorageJson.Serialize(e.Aliases)).ToArray())));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The relater's index in the tables <c>archive_records</c> and <c>archive_postings</c>, inside the decision's transaction.</summary>
    private sealed class PostgresArchiveIndex(NpgsqlConnection connection, NpgsqlTransaction transaction) : IArchiveIndex
    {
        public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FindAsync(
            IReadOnlyCollection<string> keys, int limitPerKey, CancellationToken ct)
        {
            var found = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (keys.Count == 0)
            {
                return found;
            }

            await using var command = new NpgsqlCommand(
                """
                SELECT k.key, p.id FROM unnest($1::text[]) AS k (key)
                CROSS JOIN LATERAL (
                    SELECT id, seq FROM archive_postings WHERE key = k.key ORDER BY seq DESC LIMIT $2) AS p
                ORDER BY k.key, p.seq
                """,
                connection,
                transaction);
            command.Parameters.Add(Parameter(keys.Distinct(StringComparer.Ordinal).ToArray()));
            command.Parameters.Add(Parameter(limitPerKey));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = reader.GetString(0);
                if (!found.TryGetValue(key, out var ids))
                {
                    found[key] = ids = new List<string>();
                }

                ((List<string>)ids).Add(reader.GetString(1));
            }

            return found;
        }

        public async Task<IReadOnlyDictionary<string, string>> ReadAsync(string kind, IReadOnlyCollection<string> ids, CancellationToken ct)
        {
            var found = new Dictionary<string, string>(StringComparer.Ordinal);
            if (ids.Count == 0)
            {
                return found;
            }

            await using var command = new NpgsqlCommand(
                "SELECT id, json FROM archive_records WHERE kind = $1 AND id = ANY($2)", connection, transaction);
            command.Parameters.Add(Parameter(kind));
            command.Parameters.Add(Parameter(ids.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                found[reader.GetString(0)] = reader.GetString(1);
            }

            return found;
        }

        public async Task WriteAsync(ArchiveChanges changes, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(changes);
            var records = RelationRows.Records(changes);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(WithParameters(
                """
                INSERT INTO archive_records (kind, id, json)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
                ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json
                """,
                Parameter(records.Select(r => r.Kind).ToArray()),
                Parameter(records.Select(r => r.Id).ToArray()),
                Parameter(records.Select(r => r.Json).ToArray())));
            // In the order given, so that the newest posting of a key has the highest seq.
            batch.BatchCommands.Add(WithParameters(
                """
                INSERT INTO archive_postings (key, id)
                SELECT p.key, p.id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS p (key, id, n) ORDER BY p.n
                ON CONFLICT (key, id) DO NOTHING
                """,
                Parameter(changes.Postings.Select(p => p.Key).ToArray()),
                Parameter(changes.Postings.Select(p => p.Id).ToArray())));
            await batch.ExecuteNonQueryAsync(ct);
        }
    }
}
