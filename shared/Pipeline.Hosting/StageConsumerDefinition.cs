using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;

namespace Pipeline.Hosting;

/// <summary>
/// Endpoint settings shared by every stage's consumer: a queue named after the stage (a quorum queue with
/// <see cref="MessagingOptions.QuorumQueues"/>), its concurrency and prefetch from <c>Stages:&lt;stage&gt;</c>; quick
/// retries, then delayed redelivery, then the stage's <c>_error</c> queue. A document that can never be processed
/// (<see cref="InvalidDocumentException"/>) skips the retries; an outage (<see cref="TransientFailures"/>) is waited
/// out without using them up. Each attempt and each failure is measured (<see cref="PipelineTelemetry"/>).
/// </summary>
public abstract class StageConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly string _stage;
    private readonly MessagingOptions _messaging;

    /// <param name="stage">The stage's name: its queue and its <c>Stages:&lt;stage&gt;</c> section.</param>
    /// <param name="configuration">The process's configuration.</param>
    /// <param name="defaultConcurrentMessageLimit">
    /// Used when the section sets none; else the core count in memory and twice that on RabbitMQ.
    /// </param>
    protected StageConsumerDefinition(string stage, IConfiguration configuration, int? defaultConcurrentMessageLimit = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _stage = stage;
        _messaging = configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new();
        var options = configuration.GetSection($"{StageOptions.SectionName}:{stage}").Get<StageOptions>() ?? new();

        EndpointName = StageQueues.Of(stage);
        // On RabbitMQ a message also waits for its delivery and its publish confirmation; with one message per
        // core those waits left cores idle (clean or extract alone kept 1.0 and 1.3 of 2 cores busy). In memory
        // there is no such wait, and more messages at once only cost memory.
        var perCore = _messaging.UsesRabbitMq ? 2 : 1;
        ConcurrentMessageLimit = options.ConcurrentMessageLimit ?? defaultConcurrentMessageLimit ?? perCore * Environment.ProcessorCount;
        Endpoint(e => e.PrefetchCount = options.PrefetchCount ?? 2 * ConcurrentMessageLimit.Value);
    }

    protected override void ConfigureConsumer(
        IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator,
        IRegistrationContext context)
    {
        ArgumentNullException.ThrowIfNull(endpointConfigurator);
        ArgumentNullException.ThrowIfNull(consumerConfigurator);
        ArgumentNullException.ThrowIfNull(context);
        // First, so that it is outside every retry and sees only what they gave up on.
        var loggers = context.GetRequiredService<ILoggerFactory>();
        endpointConfigurator.UseFilter(new StageFailureFilter(_stage, _messaging.DeliveryLimit, loggers.CreateLogger<StageFailureFilter>()));
        consumerConfigurator.UseFilter(new StageAttemptFilter<TConsumer>(_stage, loggers.CreateLogger<TConsumer>()));

        // Replicated on every node; MassTransit gives the _error queue the same type.
        if (_messaging.QuorumQueues && endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbitMq)
        {
            rabbitMq.SetQuorumQueue();
        }

        var retry = _messaging.Retry;
        // Outermost: an outage of the database or broker holds the message and waits it out, however many
        // documents it touches, instead of pushing them all to the error queue.
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<Exception>(TransientFailures.IsTransient);
            r.Exponential(retry.OutageRetryLimit, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
        });

        if (!_messaging.UsesRabbitMq || _messaging.DelayedExchange)
        {
            // Redelivery wraps the quick retries: each redelivery gets the full set of them again.
            endpointConfigurator.UseDelayedRedelivery(r =>
            {
                r.Ignore<InvalidDocumentException>();
                r.Ignore<Exception>(TransientFailures.IsTransient);
                r.Intervals(retry.RedeliverySeconds.Select(s => TimeSpan.FromSeconds(s)).ToArray());
            });
        }

        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Ignore<InvalidDocumentException>();
            r.Ignore<Exception>(TransientFailures.IsTransient);
            r.Intervals(retry.IntervalsMs.Select(ms => TimeSpan.FromMilliseconds(ms)).ToArray());
        });
    }
}
