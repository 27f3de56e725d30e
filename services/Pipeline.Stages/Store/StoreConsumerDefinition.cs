using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

/// <summary>
/// The store works on as many messages at once as fit in one batch, so that the <see cref="DocumentBatchWriter"/>
/// can fill its batches: the work per message is waiting for the database, not using a core.
/// </summary>
public sealed class StoreConsumerDefinition(IConfiguration configuration)
    : StageConsumerDefinition<StoreConsumer>(
        PipelineStages.StoreName,
        configuration,
        configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.Batch.MaxDocuments ?? new StorageBatchOptions().MaxDocuments);
