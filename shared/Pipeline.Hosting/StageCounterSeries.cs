using Microsoft.Extensions.Hosting;

namespace Pipeline.Hosting;

/// <summary>
/// Starts the stages' counters at 0 (<see cref="PipelineTelemetry.StartCounting"/>) once the process starts: a hosted
/// service registered after the telemetry's own, whose meter listener would miss a count made any earlier.
/// </summary>
internal sealed class StageCounterSeries(IReadOnlyList<string> stages) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var stage in stages)
        {
            PipelineTelemetry.StartCounting(stage);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
