using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;

namespace Pipeline.Stages.Clean;

public sealed class CleanConsumerDefinition(IConfiguration configuration)
    : StageConsumerDefinition<CleanConsumer>(PipelineStages.CleanName, configuration);
