using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;

namespace Pipeline.Stages.Relate;

/// <summary>
/// One document at a time per replica: decisions take turns across the archive anyway (see
/// <see cref="Storage.IDocumentStore.RelateAsync"/>), so more at once would only wait for the lock.
/// </summary>
public sealed class RelateConsumerDefinition(IConfiguration configuration)
    : StageConsumerDefinition<RelateConsumer>(PipelineStages.RelateName, configuration, defaultConcurrentMessageLimit: 1);
