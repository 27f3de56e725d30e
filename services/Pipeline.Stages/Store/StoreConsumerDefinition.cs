using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;

namespace Pipeline.Stages.Store;

public sealed class StoreConsumerDefinition(IConfiguration configuration)
    : StageConsumerDefinition<StoreConsumer>(PipelineStages.StoreName, configuration);
