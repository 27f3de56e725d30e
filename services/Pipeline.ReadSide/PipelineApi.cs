using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Pipeline.Hosting;
using Pipeline.Storage;

namespace Pipeline.ReadSide;

/// <summary>
/// The read side: the query API under <c>/api</c>, its OpenAPI description at <c>/openapi/v1.json</c>, and the
/// web page at <c>/</c>. Hosted by the api service and by <c>pipeline run</c>:
/// <code>
/// builder.AddServiceDefaults().AddPipelineApi().AddPipelineBus(PipelineApi.Stage);
/// app.MapDefaultEndpoints().MapPipelineApi();
/// </code>
/// </summary>
public static class PipelineApi
{
    public const string StageName = "Api";

    /// <summary>
    /// The api's place on the bus: the monitor that counts the pipeline's events for <c>GET /api/pipeline</c>.
    /// Publishing <c>DocumentIngested</c> for <c>POST /api/documents</c> needs only the bus.
    /// </summary>
    public static PipelineStage Stage { get; } = new(
        StageName,
        _ => { },
        bus => bus.AddConsumer<PipelineMonitorConsumer, PipelineMonitorConsumerDefinition>());

    /// <summary>The read side's services: the store's queries, options, the monitor, problem details, OpenAPI.</summary>
    public static IHostApplicationBuilder AddPipelineApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName);
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddDocumentStore(builder.Configuration);
        builder.Services.TryAddSingleton<IDocumentQueries>(sp => sp.GetRequiredService<IDocumentStore>());
        builder.Services.TryAddSingleton<PipelineMonitor>();
        builder.Services.TryAddSingleton<QueueStatistics>();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks().AddCheck<DocumentStoreHealthCheck>("read-store", tags: [Extensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Maps the API, the OpenAPI description and the page, behind the read key when one is set; errors become
    /// RFC 7807 problem details.
    /// </summary>
    public static WebApplication MapPipelineApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseReadApiKey();
        app.MapOpenApi();

        var api = app.MapGroup("/api");
        api.MapGet("/documents", DocumentEndpoints.SearchAsync)
            .WithName("SearchDocuments")
            .WithSummary("Full-text search with highlights, entity and date filters, paging; by relevance or date.");
        api.MapGet("/documents/{id}", DocumentEndpoints.GetAsync)
            .WithName("GetDocument")
            .WithSummary("A stored document: text, entities, dateline, keywords, summary and its raw original.");
        api.MapGet("/documents/{id}/raw", DocumentEndpoints.RawAsync)
            .WithName("GetRawDocument")
            .WithSummary("The file exactly as it was ingested.");
        api.MapPost("/documents", DocumentEndpoints.SubmitAsync)
            .WithName("SubmitDocument")
            .WithSummary("Submit a document (the request body, as a file) into the pipeline; needs the X-Api-Key header.")
            .Accepts<byte[]>("text/plain", "text/html", "application/octet-stream");
        api.MapGet("/entities", EntityEndpoints.ListAsync)
            .WithName("ListEntities")
            .WithSummary("Entities by type and a name fragment, the most widespread first.");
        api.MapGet("/entities/{**id}", EntityEndpoints.GetAsync)
            .WithName("GetEntity")
            .WithSummary("An entity (an archive entity's id, or type:name): its names, roles, stories, documents and the entities it co-occurs with most.");
        api.MapGet("/stories", StoryEndpoints.ListAsync)
            .WithName("ListStories")
            .WithSummary("Stories the relate stage found, the latest first: title, report and reprint counts, dates, top entities.");
        api.MapGet("/stories/{id}", StoryEndpoints.GetAsync)
            .WithName("GetStory")
            .WithSummary("A story: its reports on a timeline with why each joined, reprints folded with what they changed, its entities.");
        api.MapGet("/pipeline", PipelineEndpoints.GetAsync)
            .WithName("GetPipeline")
            .WithSummary("Per-stage counts, queue depths and consumers, throughput and recent failures.");

        WebPage.Map(app);
        return app;
    }
}
