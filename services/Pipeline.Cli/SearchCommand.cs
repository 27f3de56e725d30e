using System.CommandLine;
using Pipeline.ReadSide;
using Pipeline.Storage;

namespace Pipeline.Cli;

/// <summary>
/// <c>pipeline search QUERY</c>: full-text search over the store, one JSON line per hit, best first. The same
/// query implementation as <c>GET /api/documents</c>: <see cref="SearchRequest"/> validates the parameters and
/// <see cref="IDocumentQueries.SearchDocumentsAsync"/> runs them.
/// </summary>
internal static class SearchCommand
{
    private const int MaxLimit = 10_000;

    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "Words to look for in titles and texts (\"\" with a filter: the filter alone)." };
        var limit = new Option<int>("--limit") { Description = "How many hits at most.", DefaultValueFactory = _ => 20 };
        var person = new Option<string?>("--person") { Description = "Only documents that mention this person (name fragment)." };
        var org = new Option<string?>("--org") { Description = "Only documents that mention this organisation (name fragment)." };
        var place = new Option<string?>("--place") { Description = "Only documents that mention this place or have it in the dateline." };
        var from = new Option<string?>("--from") { Description = "Published on or after this day (yyyy-MM-dd)." };
        var to = new Option<string?>("--to") { Description = "Published on or before this day (yyyy-MM-dd)." };
        var sort = new Option<string?>("--sort") { Description = "relevance (default) or date." };
        var data = CliOptions.DataFolder();
        var command = new Command("search", "Search the stored documents.") { query, limit, person, org, place, from, to, sort, data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = new SearchRequest(
                parseResult.GetRequiredValue(query),
                parseResult.GetValue(person),
                parseResult.GetValue(org),
                parseResult.GetValue(place),
                parseResult.GetValue(from),
                parseResult.GetValue(to),
                Page: null,
                PageSize: parseResult.GetValue(limit).ToString(System.Globalization.CultureInfo.InvariantCulture),
                parseResult.GetValue(sort));
            var (documentQuery, errors) = request.Validate(MaxLimit);
            if (documentQuery is null)
            {
                foreach (var (name, messages) in errors)
                {
                    JsonLines.Write(Console.Out, new { parameter = name, error = string.Join(" ", messages) });
                }

                return 1;
            }

            if (request.IsEmpty)
            {
                return 0; // Nothing asked for: nothing found (as before filters existed).
            }

            var options = CliOptions.Storage(parseResult.GetRequiredValue(data));
            await using var store = await CliOptions.OpenStoreAsync(options, cancellationToken);
            var page = await store.SearchDocumentsAsync(documentQuery, cancellationToken);
            foreach (var hit in page.Hits)
            {
                JsonLines.Write(Console.Out, hit);
            }

            return 0;
        });
        return command;
    }
}
