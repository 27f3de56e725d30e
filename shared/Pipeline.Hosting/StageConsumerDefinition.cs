using MassTransit;
using Microsoft.Extensions.Configuration;
using Pipeline.Contracts;

namespace Pipeline.Hosting;

/// <summary>
/// Endpoint settings shared by every stage's consumer: a queue named after the stage, its concurrency and
/// prefetch from <c>Stages:&lt;stage&gt;</c>, retries, then delayed redelivery, then the stage's <c>_error</c> queue.
/// A document that can never be processed (<see cref="InvalidDocumentException"/>) skips the retries.
/// </summary>
public abstract class StageConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly MessagingOptions _messaging;

    protected StageConsumerDefinition(string stage, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _messaging = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new();
        var options = configuration.GetSection($"{StageOptions.SectionName}:{stage}").Get<StageOptions>() ?? new();

        EndpointName = stage.ToLowerInvariant();
        ConcurrentMessageLimit = options.ConcurrentMessageLimit ?? Environment.ProcessorCount;
        Endpoint(e => e.PrefetchCount = options.PrefetchCount ?? 2 * ConcurrentMessageLimit.Value);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        var retry = _messaging.Retry;
        if (!_messaging.UsesRabbitMq || _messaging.DelayedExchange)
        {
            // Redelivery wraps retry: each redelivery gets the full set of quick retries again.
            endpointConfigurator.UseDelayedRedelivery(r =>
            {
                r.Ignore<InvalidDocumentException>();
                r.Intervals(retry.RedeliverySeconds.Select(s => TimeSpan.FromSeconds(s)).ToArray());
            });
        }

        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<InvalidDocumentException>();
            r.Intervals(retry.IntervalsMs.Select(ms => TimeSpan.FromMilliseconds(ms)).ToArray());
        });
    }
}
