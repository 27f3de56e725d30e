using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Cleaning;
using Pipeline.Contracts;
using Pipeline.Extraction;
using Pipeline.Hosting;
using Pipeline.Relating;
using Pipeline.Stages.Clean;
using Pipeline.Stages.Extract;
using Pipeline.Stages.Ingest;
using Pipeline.Stages.Relate;
using Pipeline.Stages.Store;
using Pipeline.Storage;

namespace Pipeline.Stages;

/// <summary>The five stages, ready for <see cref="Hosting.Extensions.AddPipelineBus"/>.</summary>
public static class PipelineStages
{
    public const string IngestName = StageNames.Ingest;
    public const string CleanName = StageNames.Clean;
    public const string ExtractName = StageNames.Extract;
    public const string StoreName = StageNames.Store;
    public const string RelateName = StageNames.Relate;

    public static PipelineStage Ingest { get; } = new(
        IngestName,
        builder =>
        {
            builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.SectionName);
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddSingleton(sp => new DropFolder(
                sp.GetRequiredService<IOptions<IngestOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddHostedService<DropFolderWatcher>();
            // A deployed ingest asks the database whether a dropped file is stored already; in one process the
            // store stage registers the same store.
            if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{StorageOptions.SectionName}:{nameof(StorageOptions.PostgresConnectionString)}"]))
            {
                builder.Services.AddDocumentStore(builder.Configuration);
            }
        },
        _ => { },
        Consumes: false);

    public static PipelineStage Clean { get; } = new(
        CleanName,
        builder => builder.Services.TryAddSingleton<ArticleCleaner>(),
        bus => bus.AddConsumer<CleanConsumer, CleanConsumerDefinition>());

    public static PipelineStage Extract { get; } = new(
        ExtractName,
        builder =>
        {
            builder.Services.TryAddSingleton<ArticleCleaner>();
            // Extraction__Model=fast|accurate; a wrong value stops the stage at start, naming the choices.
            builder.Services.AddOptions<ExtractionOptions>().BindConfiguration(ExtractionOptions.SectionName)
                .Validate(o => ExtractionOptions.TryParseModel(o.Model, out _),
                    $"{ExtractionOptions.SectionName}:{nameof(ExtractionOptions.Model)} must be {ExtractionOptions.ModelChoices}.")
                .ValidateOnStart();
            builder.Services.TryAddSingleton(sp => EntityExtractor.Create(ExtractionOptions.ParseModel(
                sp.GetRequiredService<IOptions<ExtractionOptions>>().Value.Model,
                $"{ExtractionOptions.SectionName}:{nameof(ExtractionOptions.Model)}")));
            builder.Services.TryAddSingleton<DocumentProcessor>();
        },
        bus => bus.AddConsumer<ExtractConsumer, ExtractConsumerDefinition>());

    public static PipelineStage Store { get; } = new(
        StoreName,
        builder =>
        {
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddDocumentStore(builder.Configuration);
            builder.AddReadinessCheck<DocumentStoreHealthCheck>("document-store");
            builder.Services.AddHostedService<DocumentStoreInitializer>();
            builder.Services.AddHostedService<StoredDocumentsGauge>();
        },
        bus => bus.AddConsumer<StoreConsumer, StoreConsumerDefinition>());

    public static PipelineStage Relate { get; } = new(
        RelateName,
        builder =>
        {
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddDocumentStore(builder.Configuration);
            builder.AddReadinessCheck<DocumentStoreHealthCheck>("document-store");
            builder.Services.TryAddSingleton(sp => new ArchiveRelater(sp.GetRequiredService<TimeProvider>()));
        },
        bus => bus.AddConsumer<RelateConsumer, RelateConsumerDefinition>());

    public static IReadOnlyList<PipelineStage> All { get; } = [Ingest, Clean, Extract, Store, Relate];
}
