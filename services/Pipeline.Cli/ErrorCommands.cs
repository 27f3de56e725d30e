using System.CommandLine;
using Pipeline.Hosting;
using Pipeline.Stages;
using Pipeline.Stages.Ingest;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.Cli;

/// <summary>
/// <c>pipeline errors</c> lists what failed — files in the failed folder and messages in the stages' error
/// queues — with the reason; <c>pipeline replay</c> sends them back for another try after a fix.
/// </summary>
internal static class ErrorCommands
{
    private static readonly string[] QueueStages = [PipelineStages.CleanName, PipelineStages.ExtractName, PipelineStages.StoreName, PipelineStages.RelateName];

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
                var messages = await OnBrokerAsync(broker, queues => queues.ListAsync(QueueStages, cancellationToken));
                foreach (var message in messages)
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
                foreach (var name in stages)
                {
                    var count = await OnBrokerAsync(broker, queues => queues.ReplayAsync(name, cancellationToken));
                    JsonLines.Write(Console.Out, new { stage = name, replayed = count });
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>Works on the broker's error queues; a broker that cannot be reached is an address for the user to fix.</summary>
    private static async Task<T> OnBrokerAsync<T>(string broker, Func<ErrorQueues, Task<T>> work)
    {
        var uri = new Uri(broker);
        try
        {
            return await work(new ErrorQueues(uri));
        }
        catch (BrokerUnreachableException ex)
        {
            // The address without its credentials.
            var address = uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.Unescaped);
            throw new UserError($"cannot reach the broker at {address} (--rabbitmq or Messaging__RabbitMq): {ex.GetBaseException().Message}", ex);
        }
    }
}
