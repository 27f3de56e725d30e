using MassTransit;
using Microsoft.Extensions.Hosting;

namespace Pipeline.Hosting;

/// <summary>
/// One stage of the pipeline as the host sees it: its own services, and the consumers it adds to the bus.
/// A service process hosts one stage; <c>pipeline run</c> hosts all of them on one in-memory bus.
/// </summary>
/// <param name="Consumes">False for a stage that only publishes (ingest): it has no queue of its own.</param>
public sealed record PipelineStage(
    string Name,
    Action<IHostApplicationBuilder> AddServices,
    Action<IBusRegistrationConfigurator> AddConsumers,
    bool Consumes = true);
