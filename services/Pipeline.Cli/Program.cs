using System.CommandLine;
using Pipeline.Cli;

var root = new RootCommand("Pipeline: turns dropped news files into clean, structured, searchable records.")
{
    CliOptions.Verbose,
    RunCommand.Create(),
    OfflineCommands.Process(),
    OfflineCommands.Clean(),
    OfflineCommands.Extract(),
    RelateCommand.Create(),
    SearchCommand.Create(),
    ErrorCommands.Errors(),
    ErrorCommands.Replay(),
    ReprocessCommand.Create(),
};
return await CliInvocation.InvokeAsync(root, args);
