using Pipeline.Hosting;
using Pipeline.Stages;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddPipelineBus(PipelineStages.Ingest);
var app = builder.Build();
app.MapDefaultEndpoints().Run();
