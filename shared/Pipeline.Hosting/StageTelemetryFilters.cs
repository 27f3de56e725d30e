using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;

namespace Pipeline.Hosting;

/// <summary>
/// Outermost on a stage's endpoint, around all retries and redeliveries: puts the document's id on every log line
/// written while its message is handled, and counts the message failed when an exception gets past every retry
/// (MassTransit then moves it to the error queue). A scheduled redelivery returns normally and is not a failure.
/// </summary>
internal sealed class StageFailureFilter(string stage, ILogger logger) : IFilter<ConsumeContext>
{
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        using var scope = context.TryGetMessage<IDocumentProgress>(out var progress) && progress.Message.DocumentId is { } id
            ? logger.BeginDocumentScope(id)
            : null;
        try
        {
            await next.Send(context);
        }
        catch when (!context.CancellationToken.IsCancellationRequested)
        {
            PipelineTelemetry.RecordFailed(stage);
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("stageFailures");
}

/// <summary>
/// Innermost, around the consumer itself: one attempt at a document, in flight while it runs, done when the consumer
/// returns; an attempt after an earlier one failed counts as a retry. Tags MassTransit's consume span with the
/// document's id, and logs each document done at Debug level (with its trace and document ids, as every line).
/// </summary>
internal sealed class StageAttemptFilter<TConsumer>(string stage, ILogger logger) : IFilter<ConsumerConsumeContext<TConsumer>>
    where TConsumer : class
{
    public async Task Send(ConsumerConsumeContext<TConsumer> context, IPipe<ConsumerConsumeContext<TConsumer>> next)
    {
        if (context.TryGetMessage<IDocumentProgress>(out var progress))
        {
            Activity.Current?.SetTag(PipelineTelemetry.DocumentIdTag, progress.Message.DocumentId);
        }

        if (context.GetRetryAttempt() > 0 || context.GetRedeliveryCount() > 0)
        {
            PipelineTelemetry.RecordRetry(stage);
        }

        using var attempt = PipelineTelemetry.StartAttempt(stage);
        await next.Send(context);
        attempt.Done();
        logger.LogDebug("{Stage} done", stage);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("stageAttempts");
}
