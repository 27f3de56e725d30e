using System.CommandLine;
using Pipeline.Contracts;
using Pipeline.Relating;
using Pipeline.Stages;

namespace Pipeline.Cli;

/// <summary>
/// <c>relate FILES...</c>: cleans and extracts each file, then relates it to the files before it (duplicates,
/// stories, entities across documents) in an archive held in memory, one JSON line per file in the order given.
/// A file that fails gives a line with <c>error</c>, and the exit code is 1.
/// </summary>
internal static class RelateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Input files, oldest first." };
        var command = new Command("relate", "Relate files to one another: the copy each reprints, its story, one id per entity across files.") { files };
        command.SetAction(async (parseResult, ct) =>
        {
            var processor = DocumentProcessor.CreateDefault();
            var relater = new ArchiveRelater();
            var index = new InMemoryArchiveIndex();
            var output = Console.Out;
            var inputs = parseResult.GetValue(files) ?? [];
            // Ingest times one second apart in the order given: of two copies, the first given is the original.
            var start = DateTimeOffset.UtcNow;
            var failed = 0;
            for (int i = 0; i < inputs.Length; i++)
            {
                string file = inputs[i];
                try
                {
                    var document = processor.Process(Path.GetFileName(file), await File.ReadAllBytesAsync(file, ct), start.AddSeconds(i));
                    var input = RelateInput.From(document);
                    var related = await relater.RelateAsync(input, index, ct);
                    JsonLines.Write(output, RelatedView.Create(file, input, related));
                }
                catch (Exception ex) when (ex is InvalidDocumentException or IOException or UnauthorizedAccessException)
                {
                    failed++;
                    JsonLines.Write(output, new { file, error = ex.Message });
                }
            }

            await output.FlushAsync(ct);
            if (failed == 0)
            {
                return 0;
            }

            Console.Error.WriteLine($"pipeline: {failed} of {inputs.Length} files failed (their lines have \"error\").");
            return 1;
        });
        return command;
    }
}
