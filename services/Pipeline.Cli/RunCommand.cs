using System.CommandLine;
using MassTransit;
using Microsoft.AspNetCore.Connections;
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
    public const string Name = "run";

    public static Command Create()
    {
        var drop = new Option<string>("--drop") { Description = "The folder to watch for new files.", Required = true };
        var import = new Option<string[]>("--import")
        {
            Description = "Copy these files (or the files in these folders) into the drop folder at start.",
            AllowMultipleArgumentsPerToken = true,
        };
        import.Validators.Add(result =>
        {
            foreach (var missing in (result.GetValueOrDefault<string[]>() ?? []).Where(p => !File.Exists(p) && !Directory.Exists(p)))
            {
                result.AddError($"--import: no such file or folder: {Path.GetFullPath(missing)}.");
            }
        });
        var exitWhenIdle = new Option<bool>("--exit-when-idle")
        {
            Description = "Stop once the drop folder is empty and every document is stored or failed.",
        };
        var data = CliOptions.DataFolder();
        var command = new Command(Name, "Run the whole pipeline in this process (in-memory bus, SQLite).")
        {
            drop, import, exitWhenIdle, data,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var dropFolder = Path.GetFullPath(parseResult.GetRequiredValue(drop));
            CliOptions.EnsureWritableFolder(dropFolder, "the drop folder (--drop)");
            var storage = CliOptions.Storage(parseResult.GetRequiredValue(data));
            // A database that cannot be opened is the user's to fix: said once, before any file is taken, rather than
            // retried for ever as a server on its way up would be.
            await (await CliOptions.OpenStoreAsync(storage, cancellationToken)).DisposeAsync();
            DropFolderImport.CopyInto(dropFolder, parseResult.GetValue(import) ?? []);

            // Configuration files beside the program, as the services read them, never from the user's folder.
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Messaging:RabbitMq"] = string.Empty,
                [$"{IngestOptions.SectionName}:DropFolder"] = dropFolder,
                ["Storage:SqlitePath"] = storage.SqlitePath,
                ["Storage:PostgresConnectionString"] = storage.PostgresConnectionString,
                ["Urls"] = builder.Configuration["Urls"] ?? "http://127.0.0.1:5100",
            });
            builder.AddServiceDefaults().AddPipelineApi().AddPipelineBus([.. PipelineStages.All, PipelineApi.Stage]);
            CliLogging.Configure(builder.Logging, parseResult.GetValue(CliOptions.Verbose));
            // The bus is in memory: ingest holds files back in the folder while many documents are in flight.
            builder.Services.AddSingleton<IInFlightDocuments>(sp => sp.GetRequiredService<PipelineMonitor>());
            builder.Services.AddHostedService<FailedDocumentFiles>();
            await using var app = builder.Build();
            app.MapDefaultEndpoints().MapPipelineApi();
            var folder = app.Services.GetRequiredService<DropFolder>();
            var takenBefore = folder.TakenCount();
            await StartAsync(app, cancellationToken);
            Console.Error.WriteLine(
                $"Pipeline running: drop files into {Path.GetFullPath(dropFolder)}; search page at {app.Urls.First()}/ ; Ctrl+C to stop.");

            var monitor = app.Services.GetRequiredService<PipelineMonitor>();
            monitor.Reported += Console.Error.WriteLine;
            // Idle or not, the run ends through the host's own shutdown, which Ctrl+C starts as well: the stages stop
            // cleanly either way.
            var stopWhenIdle = parseResult.GetValue(exitWhenIdle) ? StopWhenIdleAsync(app, monitor, folder, takenBefore) : Task.CompletedTask;
            await app.WaitForShutdownAsync(cancellationToken);
            await stopWhenIdle;

            var stored = monitor.Counts(PipelineStages.StoreName).Done;
            Console.Error.WriteLine($"Stored {stored}, failed {monitor.FailedTotal}.");
            return monitor.FailedTotal == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            CliLogging.MuteTeardown();
            throw new UserError(
                $"{ex.Message} Serve the search page on another port with the Urls variable, e.g. Urls=http://127.0.0.1:5101 pipeline run ...",
                ex);
        }
        catch
        {
            CliLogging.MuteTeardown();
            throw;
        }
    }

    /// <summary>
    /// Stops the run once idle: nothing waiting in the drop folder or claimed, nothing in flight, and every file ingest
    /// took since the start (archived or set aside) stored or failed — twice in a row a second apart. The monitor hears
    /// of a document a little after ingest archived its file, so an empty folder and nothing in flight alone can come
    /// too early, and the documents still on the in-memory bus would end with the process.
    /// </summary>
    private static async Task StopWhenIdleAsync(WebApplication app, PipelineMonitor monitor, DropFolder folder, int takenBefore)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        try
        {
            for (var idleChecks = 0; idleChecks < 2;)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stopping);
                var finished = monitor.Counts(PipelineStages.StoreName).Done + monitor.FailedTotal;
                idleChecks = !folder.AnyWaiting() && monitor.InFlight == 0 && finished >= folder.TakenCount() - takenBefore ? idleChecks + 1 : 0;
            }

            app.Lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped before it was idle (Ctrl+C).
        }
    }
}
