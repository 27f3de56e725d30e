using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Pipeline.Contracts;

namespace Pipeline.Hosting;

/// <summary>
/// The stages' own spans and measurements, named "Pipeline", beside MassTransit's ("MassTransit"). Every measurement
/// has the tag <see cref="StageTag"/>; every span a stage starts has the document's id as <see cref="DocumentIdTag"/>.
/// </summary>
public static class PipelineTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Pipeline";

    public const string StageTag = "stage";

    public const string DocumentIdTag = "pipeline.document.id";

    private static readonly ActivitySource s_source = new(Name);
    private static readonly Meter s_meter = new(Name);

    private static readonly Counter<long> s_done = s_meter.CreateCounter<long>(
        "pipeline.documents.done", "{document}", "Documents a stage finished and handed on (the store: stored).");

    private static readonly Counter<long> s_failed = s_meter.CreateCounter<long>(
        "pipeline.documents.failed", "{document}",
        "Documents a stage gave up on: moved to its error queue (ingest: to the failed folder).");

    private static readonly Counter<long> s_stored = s_meter.CreateCounter<long>(
        "pipeline.documents.stored", "{document}", "Documents the store added (new rows; a redelivery or a re-drop adds none).");

    private static readonly Counter<long> s_skipped = s_meter.CreateCounter<long>(
        "pipeline.documents.skipped", "{document}", "Files ingest archived without handing them on: their document was stored already.");

    private static readonly Counter<long> s_retries = s_meter.CreateCounter<long>(
        "pipeline.documents.retries", "{attempt}", "Attempts at a document after an earlier one failed (retries and redeliveries).");

    private static readonly UpDownCounter<long> s_inFlight = s_meter.CreateUpDownCounter<long>(
        "pipeline.documents.in_flight", "{document}", "Documents a stage is working on in this process now.");

    // Stage times run from a millisecond (ingest, clean) to seconds (a store batch waiting out a slow database);
    // the SDK's default buckets are meant for milliseconds and would put every document in the first one.
    private static readonly Histogram<double> s_duration = s_meter.CreateHistogram(
        "pipeline.document.duration", "s", "Time a stage spent on a document it finished, one attempt.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    // -1 until a store process counted: the gauge has no series where no store runs.
    private static long s_storedDocuments = -1;

    private static readonly ObservableGauge<long> s_storedDocumentsGauge = s_meter.CreateObservableGauge(
        "pipeline.store.documents",
        () => Interlocked.Read(ref s_storedDocuments) is >= 0 and var count ? [new Measurement<long>(count)] : Array.Empty<Measurement<long>>(),
        "{document}",
        "Documents in the store, counted by the database every few seconds: every store replica reports the same figure.");

    private static readonly Func<ILogger, string, IDisposable?> s_documentScope =
        LoggerMessage.DefineScope<string>("DocumentId:{DocumentId}");

    /// <summary>
    /// Gives the stage's counters a series from the start, at 0: Prometheus shows a counter only once it was counted,
    /// so a stage that has failed nothing yet would have no failure series to graph or alert on.
    /// </summary>
    public static void StartCounting(string stage)
    {
        var tag = new KeyValuePair<string, object?>(StageTag, stage);
        foreach (var counter in new[] { s_done, s_failed, s_retries })
        {
            counter.Add(0, tag);
        }
    }

    /// <summary>Sets the gauge <c>pipeline.store.documents</c>: the documents in the store, as last counted.</summary>
    public static void RecordStoredDocuments(long count) => Interlocked.Exchange(ref s_storedDocuments, count);

    /// <summary>A span of a stage's own work on a document; null when nothing listens.</summary>
    public static Activity? StartActivity(string name, string? documentId = null) =>
        s_source.StartActivity(name)?.SetTag(DocumentIdTag, documentId);

    /// <summary>Puts the document's id on every log line written until the scope is disposed.</summary>
    public static IDisposable? BeginDocumentScope(this ILogger logger, string documentId) => s_documentScope(logger, documentId);

    /// <summary>Starts one attempt of a stage at a document: in flight until disposed.</summary>
    public static StageAttempt StartAttempt(string stage) => new(stage);

    public static void RecordFailed(string stage) => s_failed.Add(1, new KeyValuePair<string, object?>(StageTag, stage));

    public static void RecordStored() => s_stored.Add(1, new KeyValuePair<string, object?>(StageTag, StageNames.Store));

    public static void RecordSkipped(string stage) => s_skipped.Add(1, new KeyValuePair<string, object?>(StageTag, stage));

    public static void RecordRetry(string stage) => s_retries.Add(1, new KeyValuePair<string, object?>(StageTag, stage));

    /// <summary>One attempt of a stage at a document; <see cref="Done"/> counts it and records how long it took.</summary>
    public sealed class StageAttempt : IDisposable
    {
        private readonly KeyValuePair<string, object?> _stage;
        private readonly long _started = Stopwatch.GetTimestamp();

        internal StageAttempt(string stage)
        {
            _stage = new(StageTag, stage);
            s_inFlight.Add(1, _stage);
        }

        /// <returns>How long the attempt took.</returns>
        public TimeSpan Done()
        {
            var elapsed = Stopwatch.GetElapsedTime(_started);
            s_duration.Record(elapsed.TotalSeconds, _stage);
            s_done.Add(1, _stage);
            return elapsed;
        }

        public void Dispose() => s_inFlight.Add(-1, _stage);
    }
}
