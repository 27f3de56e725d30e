using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Hosting;
using Pipeline.Stages;

namespace Pipeline.IntegrationTests;

/// <summary>MassTransit reports anonymous usage to its makers unless told not to; Pipeline sends nothing it was not asked to.</summary>
public sealed class UsageTelemetryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_bus_reports_usage_only_when_the_options_ask_for_it(bool usageTelemetry)
    {
        var services = new ServiceCollection();
        var messaging = new MessagingOptions { UsageTelemetry = usageTelemetry };
        services.AddClaimChecks(messaging);
        services.AddMassTransit(bus => bus.AddPipelineStages(messaging, PipelineStages.Clean));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(usageTelemetry, provider.GetRequiredService<IOptions<UsageTelemetryOptions>>().Value.Enabled);
    }
}
