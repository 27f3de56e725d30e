using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;

namespace Pipeline.Hosting;

/// <summary>
/// Outermost on a stage's endpoint, around all retries and redeliveries: puts the document's id on every log line
/// written while its message is handled, and counts and logs the message failed when an exception gets past every
/// retry (MassTransit then moves it to the error queue). A scheduled redelivery returns normally and is not a failure.
/// A message the broker has delivered <paramref name="deliveryLimit"/> times already fails at once, unprocessed: each
/// of those deliveries ended without an acknowledgement (a process killed while on it, a channel closed by the
/// broker), and a quorum queue would drop it, with no trace, at its own limit (RabbitMQ's default is 20).
/// </summary>
internal sealed class StageFailureFilter(string stage, int deliveryLimit, ILogger logger) : IFilter<ConsumeContext>
{
    /// <summary>The header in which a quorum queue counts the earlier deliveries of a message.</summary>
    public const string DeliveryCountHeader = "x-delivery-count";

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        using var scope = StageMessages.DocumentIdOf(context) is { } id ? logger.BeginDocumentScope(id) : null;
        try
        {
            var deliveries = context.ReceiveContext.TransportHeaders.Get<long>(DeliveryCountHeader) ?? 0;
            if (deliveries >= deliveryLimit)
            {
                throw new InvalidDocumentException(
                    $"delivered {deliveries} times without being finished (Messaging:DeliveryLimit {deliveryLimit}): a {stage} process may " +
                    "have died on it each time, or the broker refused what it handed on");
            }

            await next.Send(context);
        }
        catch (Exception error) when (!context.CancellationToken.IsCancellationRequested)
        {
            PipelineTelemetry.RecordFailed(stage);
            logger.LogWarning("{Stage} failed: {Reason}", stage, error.GetBaseException().Message);
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("stageFailures");
}

/// <summary>
/// Innermost, around the consumer itself: one attempt at a document, in flight while it runs, done when the consumer
/// returns; an attempt after an earlier one failed counts as a retry. Tags MassTransit's consume span with the
/// document's id, and logs each document done at Information level, with how long it took (and its trace and document
/// ids, as every line), so that an operator can follow one document through every stage's log.
/// </summary>
internal sealed class StageAttemptFilter<TConsumer>(string stage, ILogger logger) : IFilter<ConsumerConsumeContext<TConsumer>>
    where TConsumer : class
{
    public async Task Send(ConsumerConsumeContext<TConsumer> context, IPipe<ConsumerConsumeContext<TConsumer>> next)
    {
        if (StageMessages.DocumentIdOf(context) is { } id)
        {
            Activity.Current?.SetTag(PipelineTelemetry.DocumentIdTag, id);
        }

        // A broker's redelivery (the process that had the message died, or its channel closed) is a retry too.
        if (context.GetRetryAttempt() > 0 || context.GetRedeliveryCount() > 0 || context.ReceiveContext.Redelivered)
        {
            PipelineTelemetry.RecordRetry(stage);
        }

        using var attempt = PipelineTelemetry.StartAttempt(stage);
        await next.Send(context);
        var elapsed = attempt.Done();
        LogDone(logger, stage, elapsed.TotalMilliseconds, null);
    }

    private static readonly Action<ILogger, string, double, Exception?> LogDone = LoggerMessage.Define<string, double>(
        LogLevel.Information, new EventId(1, "StageDone"), "{Stage} done in {ElapsedMs:F1} ms");

    public void Probe(ProbeContext context) => context.CreateFilterScope("stageAttempts");
}

/// <summary>What the filters read of any stage's input.</summary>
internal static class StageMessages
{
    /// <summary>
    /// The document a stage's input is about: a hand-on message's (<see cref="IDocumentProgress"/>), or the stored
    /// document the relate stage takes; null for anything else.
    /// </summary>
    public static string? DocumentIdOf(ConsumeContext context) =>
        context.TryGetMessage<IDocumentProgress>(out var progress) ? progress.Message.DocumentId
        : context.TryGetMessage<DocumentStored>(out var stored) ? stored.Message.DocumentId
        : null;
}
