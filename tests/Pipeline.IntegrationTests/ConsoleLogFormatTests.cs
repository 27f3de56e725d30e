using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Pipeline.Hosting;

namespace Pipeline.IntegrationTests;

/// <summary>The console log's format as <see cref="Extensions.AddServiceDefaults"/> sets it: one line, or JSON when configured.</summary>
public sealed class ConsoleLogFormatTests
{
    [Theory]
    [InlineData(null, ConsoleFormatterNames.Simple)]
    [InlineData("json", ConsoleFormatterNames.Json)]
    [InlineData("systemd", ConsoleFormatterNames.Systemd)]
    public void The_configured_formatter_is_used_and_one_line_otherwise(string? configured, string expected)
    {
        var builder = Host.CreateApplicationBuilder();
        if (configured is not null)
        {
            builder.Configuration["Logging:Console:FormatterName"] = configured;
        }

        builder.AddServiceDefaults();
        using var host = builder.Build();

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        Assert.True(host.Services.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue.SingleLine);
    }
}
