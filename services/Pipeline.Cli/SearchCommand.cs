using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Storage;

namespace Pipeline.Cli;

/// <summary><c>pipeline search QUERY</c>: full-text search over the store, one JSON line per hit, best first.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "Words to look for in titles and texts." };
        var limit = new Option<int>("--limit") { Description = "How many hits at most.", DefaultValueFactory = _ => 20 };
        var data = CliOptions.DataFolder();
        var command = new Command("search", "Search the stored documents.") { query, limit, data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = CliOptions.Storage(parseResult.GetRequiredValue(data));
            await using var store = DocumentStoreFactory.Create(options);
            await store.InitializeAsync(cancellationToken);
            var hits = await store.SearchAsync(parseResult.GetRequiredValue(query), parseResult.GetValue(limit), cancellationToken);
            foreach (var hit in hits)
            {
                JsonLines.Write(Console.Out, hit);
            }

            return 0;
        });
        return command;
    }
}
