using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Storage;

namespace Pipeline.Cli;

/// <summary>Options several commands share, and the configuration they read.</summary>
internal static class CliOptions
{
    public static Option<string> DataFolder() => new("--data")
    {
        Description = "Folder of the embedded SQLite database (ignored when Storage__PostgresConnectionString is set).",
        DefaultValueFactory = _ => "data",
    };

    /// <summary>Storage settings: environment variables (<c>Storage__...</c>) first, then the data folder's SQLite file.</summary>
    public static StorageOptions Storage(string dataFolder)
    {
        var options = new StorageOptions { SqlitePath = Path.Combine(dataFolder, "pipeline.db") };
        new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(StorageOptions.SectionName).Bind(options);
        return options;
    }
}
