using System.CommandLine;
using MassTransit;
using Pipeline.Hosting;
using Pipeline.ReadSide;
using Pipeline.Stages;
using Pipeline.Stages.Ingest;

namespace Pipeline.Cli;

/// <summary>
/// <c>pipeline run --drop DIR</c>: the embedded default. All four stages in this one process on MassTransit's
/// in-memory transport, storing into SQLite under <c>--data</c>.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var drop = new Option<string>("--drop") { Description = "The folder to watch for new files.", Required = true };
        var import = new Option<string[]>("--import")
        {
            Description = "Copy these files (or the files in these folders) into the drop folder at start.",
            AllowMultipleArgumentsPerToken = true,
        };
        var exitWhenIdle = new Option<bool>("--exit-when-idle")
        {
            Description = "Stop once the drop folder is empty and every document is stored or failed.",
        };
        var data = CliOptions.DataFolder();
        var command = new Command("run", "Run the whole pipeline in this process (in-memory bus, SQLite).")
        {
            drop, import, exitWhenIdle, data,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var dropFolder = parseResult.GetRequiredValue(drop);
            Directory.CreateDirectory(dropFolder);
            DropFolderImport.CopyInto(dropFolder, parseResult.GetValue(import) ?? []);

            var builder = WebApplication.CreateBuilder();
            var storage = CliOptions.Storage(parseResult.GetRequiredValue(data));
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Messaging:RabbitMq"] = string.Empty,
                [$"{IngestOptions.SectionName}:DropFolder"] = dropFolder,
                ["Storage:SqlitePath"] = storage.SqlitePath,
                ["Messaging:MessageDataFolder"] = Path.Combine(parseResult.GetRequiredValue(data), "message-data"),
                ["Storage:PostgresConnectionString"] = storage.PostgresConnectionString,
                ["Urls"] = builder.Configuration["Urls"] ?? "http://127.0.0.1:5100",
            });
            builder.Services.AddSingleton<RunProgress>();
            builder.AddServiceDefaults().AddPipelineApi().AddPipelineBus(
                [.. PipelineStages.All, PipelineApi.Stage, new PipelineStage("Progress", _ => { }, bus => bus.AddConsumer<RunProgressConsumer>())]);
            await using var app = builder.Build();
            app.MapDefaultEndpoints().MapPipelineApi();
            await app.StartAsync(cancellationToken);
            Console.Error.WriteLine(
                $"Pipeline running: drop files into {Path.GetFullPath(dropFolder)}; search page at {app.Urls.First()}/ ; Ctrl+C to stop.");

            if (parseResult.GetValue(exitWhenIdle))
            {
                await app.Services.GetRequiredService<RunProgress>().WaitUntilIdleAsync(dropFolder, cancellationToken);
                await app.StopAsync(CancellationToken.None);
            }
            else
            {
                await app.WaitForShutdownAsync(cancellationToken);
            }

            var progress = app.Services.GetRequiredService<RunProgress>();
            Console.Error.WriteLine($"Stored {progress.Stored}, failed {progress.Failed}.");
            return progress.Failed == 0 ? 0 : 1;
        });
        return command;
    }
}
