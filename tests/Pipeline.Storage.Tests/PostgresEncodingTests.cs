using System.Data.Common;
using Pipeline.Testing;

namespace Pipeline.Storage.Tests;

/// <summary>A PostgreSQL database that is not UTF-8 is an outage of the store, never a fault of the documents.</summary>
[Trait("Category", "Servers")]
public sealed class PostgresEncodingTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_database_that_is_not_utf8_fails_every_call_as_an_outage_that_says_the_fix()
    {
        var document = TestDocuments.Full(); // Vietnamese: text SQL_ASCII cannot take from a UTF-8 client
        await using (var store = new PostgresDocumentStore(await server.CreateDatabaseAsync("SQL_ASCII")))
        {
            foreach (var call in new Func<Task>[] { () => store.UpsertAsync(document, Ct), () => store.CountAsync(Ct) })
            {
                var error = await Assert.ThrowsAnyAsync<Exception>(call);
                Assert.True(StorageResilience.IsUnavailable(error), error.ToString());
                // What the stages' retry policy asks of a database error to wait it out as an outage.
                Assert.True(Assert.IsAssignableFrom<DbException>(error).IsTransient, error.ToString());
                Assert.Contains("ENCODING 'UTF8'", error.Message, StringComparison.Ordinal);
            }
        }

        await using var utf8 = new PostgresDocumentStore(await server.CreateDatabaseAsync("UTF8"));
        Assert.True(await utf8.UpsertAsync(document, Ct));
        Assert.Equal(document.Article.Text, (await utf8.GetAsync(document.DocumentId, Ct))?.Text);
    }
}
