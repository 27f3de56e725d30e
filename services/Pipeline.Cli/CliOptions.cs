using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;
using Pipeline.Stages.Ingest;
using Pipeline.Storage;

namespace Pipeline.Cli;

/// <summary>Options several commands share, and the configuration they read (environment variables, as the services do).</summary>
internal static class CliOptions
{
    private static readonly IConfiguration Environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();

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

    public static Option<string?> RabbitMq() => new("--rabbitmq")
    {
        Description = "AMQP URI of the broker whose error queues to read (default: Messaging__RabbitMq).",
        DefaultValueFactory = _ => Environment[$"{MessagingOptions.SectionName}:RabbitMq"],
    };

    /// <summary>Storage settings: environment variables (<c>Storage__...</c>) first, then the data folder's SQLite file.</summary>
    public static StorageOptions Storage(string dataFolder)
    {
        var options = new StorageOptions { SqlitePath = Path.Combine(dataFolder, "pipeline.db") };
        Environment.GetSection(StorageOptions.SectionName).Bind(options);
        return options;
    }

    /// <summary>Ingest settings for a drop folder, with the failed and archive folders from the environment if set.</summary>
    public static IngestOptions Ingest(string dropFolder)
    {
        var options = new IngestOptions();
        Environment.GetSection(IngestOptions.SectionName).Bind(options);
        options.DropFolder = dropFolder;
        return options;
    }
}
