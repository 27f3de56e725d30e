using System.CommandLine;
using Pipeline.Hosting;
using Pipeline.Stages;
using Pipeline.Stages.Ingest;

namespace Pipeline.Cli;

/// <summary>
/// <c>pipeline errors</c> lists what failed — files in the failed folder and messages in the stages' error
/// queues — with the reason; <c>pipeline replay</c> sends them back for another try after a fix.
/// </summary>
internal static class ErrorCommands
{
    private static readonly string[] QueueStages = [PipelineStages.CleanName, PipelineStages.ExtractName, PipelineStages.StoreName];

    public static Command Errors()
    {
        var drop = CliOptions.DropFolder();
        var rabbitMq = CliOptions.RabbitMq();
        var command = new Command("errors", "List failed files and error-queue messages with their reasons.") { drop, rabbitMq };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var folder = new DropFolder(CliOptions.Ingest(parseResult.GetRequiredValue(drop)), TimeProvider.System);
            foreach (var (file, reason) in folder.FailedFiles())
            {
                JsonLines.Write(Console.Out, new { source = "failed-folder", stage = PipelineStages.IngestName, file = file.FullName, reason });
            }

            if (parseResult.GetValue(rabbitMq) is { Length: > 0 } broker)
            {
                var queues = new ErrorQueues(new Uri(broker));
                foreach (var message in await queues.ListAsync(QueueStages, cancellationToken))
                {
                    JsonLines.Write(Console.Out, new
                    {
                        source = "error-queue",
                        stage = message.Stage,
                        queue = message.Queue,
                        documentId = message.DocumentId,
                        file = message.FileName,
                        exceptionType = message.ExceptionType,
                        reason = message.Reason,
                    });
                }
            }

            return 0;
        });
        return command;
    }

    public static Command Replay()
    {
        var drop = CliOptions.DropFolder();
        var rabbitMq = CliOptions.RabbitMq();
        var stage = new Option<string?>("--stage") { Description = "Only this stage: ingest (the failed folder), clean, extract or store." };
        stage.AcceptOnlyFromAmong([.. QueueStages.Prepend(PipelineStages.IngestName).SelectMany(s => new[] { s, s.ToLowerInvariant() })]);
        var command = new Command("replay", "Send failed files and error-queue messages back for another try.") { drop, rabbitMq, stage };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var only = parseResult.GetValue(stage);
            bool Selected(string name) => only is null || string.Equals(only, name, StringComparison.OrdinalIgnoreCase);

            if (Selected(PipelineStages.IngestName))
            {
                var folder = new DropFolder(CliOptions.Ingest(parseResult.GetRequiredValue(drop)), TimeProvider.System);
                var files = folder.FailedFiles().Count(f => folder.Retry(f.File));
                JsonLines.Write(Console.Out, new { stage = PipelineStages.IngestName, replayed = files });
            }

            var broker = parseResult.GetValue(rabbitMq);
            var stages = QueueStages.Where(Selected).ToList();
            if (stages.Count > 0 && broker is { Length: > 0 })
            {
                var queues = new ErrorQueues(new Uri(broker));
                foreach (var name in stages)
                {
                    var count = await queues.ReplayAsync(name, cancellationToken);
                    JsonLines.Write(Console.Out, new { stage = name, replayed = count });
                }
            }

            return 0;
        });
        return command;
    }
}
