using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Pipeline.Extraction;
using Pipeline.Hosting;
using Pipeline.Stages.Ingest;
using Pipeline.Storage;

namespace Pipeline.Cli;

/// <summary>Options several commands share, and the configuration they read (environment variables, as the services do).</summary>
internal static class CliOptions
{
    private static readonly IConfiguration Environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();

    /// <summary>Global: failures with their exception, and <c>pipeline run</c> with the framework's logs.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Show errors with their exception, and the framework's logs.",
        Recursive = true,
    };

    /// <summary>The extract stage's model as the services read it (<c>Extraction__Model</c>), if set.</summary>
    public static string? ExtractionModel => Environment[$"{ExtractionOptions.SectionName}:{nameof(ExtractionOptions.Model)}"];

    public static Option<string> DataFolder() => new("--data")
    {
        Description = "Folder of the embedded SQLite database (ignored when Storage__PostgresConnectionString is set).",
        DefaultValueFactory = _ => "data",
    };

    public static Option<string> DropFolder() => new("--drop")
    {
        Description = "The drop folder (its .failed folder holds files ingest could not read).",
        DefaultValueFactory = _ => Environment[$"{IngestOptions.SectionName}:DropFolder"] ?? new IngestOptions().DropFolder,
    };

    public static Option<string?> RabbitMq()
    {
        var option = new Option<string?>("--rabbitmq")
        {
            Description = "AMQP URI of the broker whose error queues to read (default: Messaging__RabbitMq).",
            DefaultValueFactory = _ => Environment[$"{MessagingOptions.SectionName}:RabbitMq"],
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { Length: > 0 } value
                && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps"))
            {
                result.AddError($"'{value}' is not an AMQP URI (--rabbitmq or Messaging__RabbitMq), e.g. amqp://guest:guest@localhost:5672/.");
            }
        });
        return option;
    }

    /// <summary>
    /// Storage settings: environment variables (<c>Storage__...</c>) first, then the data folder's SQLite file, whose
    /// folder is created and must be writable.
    /// </summary>
    public static StorageOptions Storage(string dataFolder)
    {
        var options = new StorageOptions { SqlitePath = Path.Combine(dataFolder, "pipeline.db") };
        Environment.GetSection(StorageOptions.SectionName).Bind(options);
        if (string.IsNullOrEmpty(options.PostgresConnectionString))
        {
            options.SqlitePath = Path.GetFullPath(options.SqlitePath);
            EnsureWritableFolder(Path.GetDirectoryName(options.SqlitePath)!, "the database folder (--data or Storage__SqlitePath)");
        }

        return options;
    }

    /// <summary>The store the settings name, its schema in place; a database that cannot be opened is the user's to fix.</summary>
    public static async Task<IDocumentStore> OpenStoreAsync(StorageOptions options, CancellationToken cancellationToken)
    {
        var store = DocumentStoreFactory.Create(options);
        try
        {
            await store.InitializeAsync(cancellationToken);
            return store;
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            await store.DisposeAsync();
            var where = string.IsNullOrEmpty(options.PostgresConnectionString) ? options.SqlitePath : "Storage__PostgresConnectionString";
            throw new UserError($"cannot open the database {where}: {ex.Message}", ex);
        }
    }

    /// <summary>Ingest settings for a drop folder, with the failed and archive folders from the environment if set.</summary>
    public static IngestOptions Ingest(string dropFolder)
    {
        var options = new IngestOptions();
        Environment.GetSection(IngestOptions.SectionName).Bind(options);
        options.DropFolder = Path.GetFullPath(dropFolder);
        return options;
    }

    /// <summary>Creates the folder and writes a file in it, so a bad path fails now with its name, not later in a stage.</summary>
    public static void EnsureWritableFolder(string folder, string role)
    {
        try
        {
            var probe = Path.Combine(Directory.CreateDirectory(folder).FullName, $".pipeline-{Guid.NewGuid():N}.probe");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"cannot write to {role} {Path.GetFullPath(folder)}: {ex.Message}", ex);
        }
    }
}
