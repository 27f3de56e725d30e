using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Pipeline.Cli;

/// <summary>
/// The logs of <c>pipeline run</c>, on stderr (stdout is the commands' output). The command prints its own progress,
/// so by default only warnings and errors show, one short line each; <c>--verbose</c> shows every log as the
/// services write them.
/// </summary>
internal static class CliLogging
{
    private static volatile bool s_muted;

    /// <summary>
    /// After a failed start the command reports the cause in one line; what the stages then log while they are torn
    /// down half-started (a bus not started, work cancelled) would only bury it. <c>--verbose</c> still shows it.
    /// </summary>
    public static void MuteTeardown() => s_muted = true;

    /// <summary>Call after the services' own logging setup (<c>AddServiceDefaults</c>): this overrides its formatter.</summary>
    public static void Configure(ILoggingBuilder logging, bool verbose)
    {
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (verbose)
        {
            return;
        }

        logging.SetMinimumLevel(LogLevel.Warning);
        // The host logs a failed start as an error; the command reports that failure itself, in one line.
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        // MassTransit's line for each retried or faulted message (message ids, type names): the stage's own warning
        // says what failed, and the command prints each document's outcome.
        logging.AddFilter("MassTransit.ReceiveTransport", LogLevel.Critical);
        logging.AddConsoleFormatter<BriefFormatter, ConsoleFormatterOptions>();
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = BriefFormatter.FormatterName);
    }

    /// <summary>"warning: message (the exception's innermost message)", on one line.</summary>
    private sealed class BriefFormatter() : ConsoleFormatter(FormatterName)
    {
        public const string FormatterName = "pipeline-brief";

        public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
        {
            if (s_muted)
            {
                return;
            }

            var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
            var cause = logEntry.Exception is null ? string.Empty : $" ({logEntry.Exception.GetBaseException().Message})";
            var level = logEntry.LogLevel >= LogLevel.Error ? "error" : "warning";
            textWriter.WriteLine($"{level}: {message}{cause}".ReplaceLineEndings(" "));
        }
    }
}
