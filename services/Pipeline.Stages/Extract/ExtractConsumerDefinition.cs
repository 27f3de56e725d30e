using Microsoft.Extensions.Configuration;
using Pipeline.Hosting;

namespace Pipeline.Stages.Extract;

public sealed class ExtractConsumerDefinition(IConfiguration configuration)
    : StageConsumerDefinition<ExtractConsumer>(PipelineStages.ExtractName, configuration);
