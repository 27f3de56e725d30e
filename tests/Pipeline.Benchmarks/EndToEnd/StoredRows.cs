using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// Reads the documents table beside the store: how many rows, and when each file's row was first stored; or, with
/// <paramref name="related"/>, how many documents the relate stage has decided on, and when.
/// </summary>
internal sealed class StoredRows(Func<DbConnection> connect, bool related = false)
{
    /// <param name="related">Count a document when it is related, not when stored: the end of its way through all five stages.</param>
    public static StoredRows Sqlite(string path, bool related = false) =>
        new(() => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()), related);

    public static StoredRows Postgres(string connectionString) => new(() => new NpgsqlConnection(connectionString));

    /// <summary>Stored documents so far (0 while the database or its schema does not exist yet).</summary>
    public async Task<long> CountAsync()
    {
        try
        {
            await using var connection = connect();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = related ? "SELECT count(*) FROM document_relations" : "SELECT count(*) FROM documents";
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (DbException)
        {
            return 0;
        }
    }

    /// <summary>File name → UTC time its document was first stored (or related).</summary>
    public async Task<IReadOnlyDictionary<string, DateTime>> StoredAtAsync()
    {
        await using var connection = connect();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = related
            ? "SELECT d.file_name, r.related_at FROM documents d JOIN document_relations r ON r.document_id = d.document_id"
            : "SELECT file_name, stored_at FROM documents";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            // PostgreSQL hands back a UTC DateTime; SQLite the store's ISO 8601 text.
            rows[reader.GetString(0)] = reader.GetValue(1) switch
            {
                DateTime time => time,
                var text => DateTime.Parse((string)text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
            };
        }

        return rows;
    }
}
