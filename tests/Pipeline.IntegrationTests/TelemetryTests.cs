using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using MassTransit.Logging;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Pipeline.Contracts;
using Pipeline.Hosting;
using Pipeline.Stages;
using Pipeline.Testing;

namespace Pipeline.IntegrationTests;

/// <summary>Traces and metrics as the hosting wiring sets them up: the spans of one document, and <c>/metrics</c>.</summary>
public sealed class TelemetryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task One_document_is_one_trace_from_the_drop_folder_to_the_archive_relations()
    {
        var spans = new SpanCollection();
        using var host = await StageConsumerTests.StartAsync([.. PipelineStages.All], builder =>
        {
            builder.Configuration["Ingest:SettleTime"] = "00:00:00.100";
            builder.AddPipelineTelemetry();
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        });
        var harness = host.Services.GetTestHarness();
        // A document of its own: other tests that run meanwhile trace the seeds too, into the same listener.
        byte[] content = [.. TestDocuments.Seed(TestDocuments.WireSeed), .. Encoding.UTF8.GetBytes($"\n{Guid.NewGuid()}\n")];
        var id = DocumentId.FromContent(content);
        TestDocuments.Drop(host.Services.GetRequiredService<IConfiguration>()["Ingest:DropFolder"]!, "wire.txt", content);

        // Spans are exported as they end; relate's consume span ends just after it published DocumentRelated.
        var tracer = host.Services.GetRequiredService<TracerProvider>();
        await TestDocuments.EventuallyAsync(
            () => Task.FromResult(harness.Published.Select<DocumentRelated>().Any(m => m.Context.Message.DocumentId == id)
                && tracer.ForceFlush() && ConsumeSpans(spans.Snapshot(), id).Count == 4),
            Patience,
            () => Describe(spans.Snapshot()));

        var recorded = spans.Snapshot();
        var ingest = Assert.Single(recorded, s => s.Source.Name == PipelineTelemetry.Name && s.OperationName == "ingest"
            && Equals(s.GetTagItem(PipelineTelemetry.DocumentIdTag), id));
        Assert.Equal(default, ingest.ParentSpanId); // the trace starts at the file
        var trace = recorded.Where(s => s.TraceId == ingest.TraceId).ToList();
        foreach (var stageSpan in new[] { "clean", "tag", "write", "relate" })
        {
            var span = Assert.Single(trace, s => s.Source.Name == PipelineTelemetry.Name && s.OperationName == stageSpan);
            Assert.Equal(id, span.GetTagItem(PipelineTelemetry.DocumentIdTag));
        }

        // MassTransit's own spans of the four consumers are in the same trace, tagged with the document.
        Assert.Equal(4, ConsumeSpans(trace, id).Count);
        Assert.All(ConsumeSpans(recorded, id), s => Assert.Equal(ingest.TraceId, s.TraceId));
    }

    [Fact]
    public async Task Metrics_count_each_stage_of_the_documents_pipeline_run_processed()
    {
        var samples = Path.Combine(RepositoryPaths.Root, "samples");
        var expected = Directory.GetFiles(samples).Length;
        var root = Directory.CreateTempSubdirectory("pipeline-metrics-").FullName;
        var url = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
        try
        {
            await using var run = ServiceProcess.Start(
                RepositoryPaths.ServiceAssembly("Pipeline.Cli", "pipeline"),
                ["run", "--drop", Path.Combine(root, "drop"), "--import", samples, "--data", Path.Combine(root, "data")],
                new Dictionary<string, string> { ["Urls"] = url });
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            var metrics = string.Empty;
            await TestDocuments.EventuallyAsync(
                async () =>
                {
                    metrics = await ScrapeAsync(client);
                    return Value(metrics, "pipeline_documents_done_total", $"stage=\"{PipelineStages.RelateName}\"") == expected;
                },
                Patience,
                () => $"{metrics}{Environment.NewLine}{run.Output}");

            foreach (var stage in PipelineStages.All.Select(s => $"stage=\"{s.Name}\""))
            {
                Assert.Equal(expected, Value(metrics, "pipeline_documents_done_total", stage));
                Assert.Equal(expected, Value(metrics, "pipeline_document_duration_seconds_count", stage));
                Assert.Equal(0, Value(metrics, "pipeline_documents_in_flight", stage));
                // Series from the start, at 0, so that they can be graphed and alerted on before the first failure.
                Assert.Equal(0, Value(metrics, "pipeline_documents_failed_total", stage));
                Assert.Equal(0, Value(metrics, "pipeline_documents_retries_total", stage));
            }

            Assert.Equal(expected, Value(metrics, "pipeline_documents_stored_total", $"stage=\"{PipelineStages.StoreName}\""));
            // The database's own count, taken every few seconds.
            await TestDocuments.EventuallyAsync(
                async () => Value(metrics = await ScrapeAsync(client), "pipeline_store_documents", null) == expected, Patience, () => metrics);

            // MassTransit's own meter counted the same messages (its unit "ea" is in the name).
            Assert.Equal(expected, Value(metrics, "messaging_masstransit_consume_ea_total", "messaging_masstransit_consumer_type=\"StoreConsumer\""));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            return await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException)
        {
            return string.Empty; // not listening yet
        }
    }

    /// <summary>The sum of a metric's samples that have the given label; null when there is none.</summary>
    /// <summary>The sum of a metric's samples whose labels contain <paramref name="label"/> (all when null).</summary>
    private static double? Value(string metrics, string name, string? label)
    {
        var samples = metrics.Split('\n')
            .Where(l => (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
                && (label is null || l.Contains(label, StringComparison.Ordinal)))
            .Select(l => double.Parse(l[(l.LastIndexOf('}') + 1 is > 0 and var end ? end : name.Length)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .ToList();
        return samples.Count == 0 ? null : samples.Sum();
    }

    private static List<Activity> ConsumeSpans(IEnumerable<Activity> spans, string documentId) =>
        [.. spans.Where(s => s.Source.Name == DiagnosticHeaders.DefaultListenerName
            && s.Kind == ActivityKind.Consumer
            && Equals(s.GetTagItem(PipelineTelemetry.DocumentIdTag), documentId))];


    private static string Describe(IEnumerable<Activity> spans) => string.Join(
        Environment.NewLine,
        spans.Select(s => $"{s.Source.Name} {s.Kind} {s.DisplayName} trace={s.TraceId} parent={s.ParentSpanId} "
            + string.Join(", ", s.TagObjects.Select(t => $"{t.Key}={t.Value}"))));

    /// <summary>The exporter adds spans as they end, on the threads that end them.</summary>
    private sealed class SpanCollection : Collection<Activity>
    {
        public List<Activity> Snapshot()
        {
            lock (Items)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (Items)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
