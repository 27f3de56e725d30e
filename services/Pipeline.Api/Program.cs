using Pipeline.Hosting;
using Pipeline.ReadSide;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults().AddPipelineApi().AddPipelineBus(PipelineApi.Stage);
var app = builder.Build();
app.MapDefaultEndpoints().MapPipelineApi().Run();
