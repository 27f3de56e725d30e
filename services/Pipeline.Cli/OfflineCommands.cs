using System.CommandLine;
using System.Text;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Extraction;
using Pipeline.Stages;

namespace Pipeline.Cli;

/// <summary>
/// <c>process</c>, <c>clean</c> and <c>extract</c>: the stage cores run offline, no bus, one process for all files,
/// one JSON line per file. A file that fails gives a line with <c>error</c>, and the exit code is 1.
/// </summary>
internal static class OfflineCommands
{
    public static Command Process() => Create(
        "process",
        "Clean and extract each file, printing the whole document as it would be stored.",
        (processor, file, bytes) =>
        {
            var document = processor.Process(Path.GetFileName(file), bytes, DateTimeOffset.UtcNow);
            return JsonLines.Serialize(new
            {
                file,
                documentId = document.DocumentId,
                fileName = document.FileName,
                bytes = bytes.Length,
                ingestedAt = document.IngestedAt,
                article = document.Article,
                analysis = document.Analysis,
            });
        });

    public static Command Clean() => Create(
        "clean",
        "Find the article in each raw file (HTML or text): title, text, language, metadata.",
        (processor, file, bytes) =>
        {
            var article = processor.Cleaner.Clean(bytes, Path.GetFileName(file));
            return JsonLines.Serialize(new
            {
                file,
                documentId = DocumentId.FromContent(bytes),
                title = article.Title,
                text = article.Text,
                language = article.Language,
                format = article.Format,
                metadata = article.Metadata,
            });
        });

    public static Command Extract()
    {
        var model = new Option<string?>("--model")
        {
            Description = "The entity tagger: fast (the default) or accurate (default: Extraction__Model).",
            DefaultValueFactory = _ => CliOptions.ExtractionModel,
        };
        model.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (!ExtractionOptions.TryParseModel(value, out _))
            {
                result.AddError($"--model (or Extraction__Model) must be {ExtractionOptions.ModelChoices}, not '{value}'.");
            }
        });
        var command = Create(
            "extract",
            "Extract entities, dateline, dates, keywords and summary from files of already-clean text.",
            (processor, file, bytes) => ExtractionJson.ToJsonLine(file, processor.Extractor.Extract(Encoding.UTF8.GetString(bytes))),
            parseResult => new DocumentProcessor(new ArticleCleaner(),
                EntityExtractor.Create(ExtractionOptions.ParseModel(parseResult.GetValue(model), "--model"))));
        command.Options.Add(model);
        return command;
    }

    private static Command Create(string name, string description, Func<DocumentProcessor, string, byte[], string> run,
        Func<ParseResult, DocumentProcessor>? createProcessor = null)
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Input files." };
        var command = new Command(name, description) { files };
        command.SetAction(parseResult =>
        {
            var processor = createProcessor?.Invoke(parseResult) ?? DocumentProcessor.CreateDefault();
            var output = Console.Out;
            var inputs = parseResult.GetValue(files) ?? [];
            var failed = 0;
            foreach (var file in inputs)
            {
                try
                {
                    output.WriteLine(run(processor, file, File.ReadAllBytes(file)));
                }
                catch (Exception ex) when (ex is InvalidDocumentException or IOException or UnauthorizedAccessException)
                {
                    failed++;
                    JsonLines.Write(output, new { file, error = ex.Message });
                }
            }

            output.Flush();
            if (failed == 0)
            {
                return 0;
            }

            // The reasons are in the JSON lines; stderr says only that the command failed.
            Console.Error.WriteLine($"pipeline: {failed} of {inputs.Length} files failed (their lines have \"error\").");
            return 1;
        });
        return command;
    }
}
