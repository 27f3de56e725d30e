using System.CommandLine;
using Pipeline.Stages;
using Pipeline.Storage;

namespace Pipeline.Cli;

/// <summary>
/// <c>pipeline reprocess</c>: runs every stored document's raw original through today's clean and extract cores
/// and upserts the result under the same id, so improved algorithms reach the archive without a second copy.
/// </summary>
internal static class ReprocessCommand
{
    private const int PageSize = 200;

    public static Command Create()
    {
        var data = CliOptions.DataFolder();
        var command = new Command("reprocess", "Re-run clean and extract over the stored documents, in place.") { data };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await CliOptions.OpenStoreAsync(CliOptions.Storage(parseResult.GetRequiredValue(data)), cancellationToken);
            var queries = (IDocumentQueries)store;

            // Ids first: reprocessing may change what the listing sorts by.
            var ids = new List<string>();
            for (var offset = 0; ; offset += PageSize)
            {
                var page = await queries.SearchDocumentsAsync(new DocumentQuery { Offset = offset, Limit = PageSize }, cancellationToken);
                ids.AddRange(page.Hits.Select(h => h.DocumentId));
                if (page.Hits.Count < PageSize)
                {
                    break;
                }
            }

            var processor = DocumentProcessor.CreateDefault();
            var failed = 0;
            foreach (var id in ids)
            {
                var stored = await store.GetAsync(id, cancellationToken);
                if (stored is null)
                {
                    continue;
                }

                try
                {
                    var document = processor.Process(stored.FileName, stored.Content, stored.IngestedAt);
                    await store.UpsertAsync(document, cancellationToken);
                    JsonLines.Write(Console.Out, new { documentId = id, title = document.Article.Title, entities = document.Analysis.Entities.Count });
                }
                catch (Contracts.InvalidDocumentException ex)
                {
                    failed++;
                    JsonLines.Write(Console.Out, new { documentId = id, error = ex.Message });
                }
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
