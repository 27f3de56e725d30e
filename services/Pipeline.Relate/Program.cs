using Pipeline.Hosting;
using Pipeline.Stages;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddPipelineBus(PipelineStages.Relate);
var app = builder.Build();
app.MapDefaultEndpoints().Run();
