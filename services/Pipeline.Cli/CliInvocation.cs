using System.CommandLine;

namespace Pipeline.Cli;

/// <summary>
/// Runs the parsed command so that every failure ends as one line on stderr and exit code 1 (with
/// <c>--verbose</c>, the whole exception): stdout stays the commands' JSON Lines, and users see no stack traces.
/// </summary>
internal static class CliInvocation
{
    private const int Failed = 1;

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var command = parseResult.CommandResult.Command == root ? "pipeline" : $"pipeline {parseResult.CommandResult.Command.Name}";
            await ReportAsync($"{string.Join(" ", parseResult.Errors.Select(e => e.Message))} See '{command} --help'.");
            return Failed;
        }

        try
        {
            // `run` hosts the stages, and the host stops them cleanly on Ctrl+C or SIGTERM however long that takes.
            // System.CommandLine's own handler would end the invocation 2 s after the signal, while the host is still
            // stopping: exit code 130, no summary line.
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (parseResult.CommandResult.Command.Name == RunCommand.Name)
            {
                configuration.ProcessTerminationTimeout = null;
            }

            return await parseResult.InvokeAsync(configuration);
        }
        catch (Exception ex) when (parseResult.GetValue(CliOptions.Verbose))
        {
            await Console.Error.WriteLineAsync(ex.ToString());
            return Failed;
        }
        catch (UserError ex)
        {
            await ReportAsync(ex.Message);
            return Failed;
        }
        catch (Exception ex)
        {
            await ReportAsync($"{ex.GetBaseException().Message} (--verbose shows where)");
            return Failed;
        }
    }

    private static Task ReportAsync(string message) => Console.Error.WriteLineAsync("pipeline: " + message.ReplaceLineEndings(" "));
}
