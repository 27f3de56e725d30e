using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Extraction;
using Pipeline.Extraction.Ner;
using Pipeline.Stages;

namespace Pipeline.IntegrationTests;

/// <summary>The extract stage's <c>Extraction__Model</c> setting, bound as the services bind it.</summary>
public sealed class ExtractionModelSettingTests
{
    private static IHost Build(string? model)
    {
        var builder = Host.CreateApplicationBuilder();
        if (model is not null)
        {
            builder.Configuration["Extraction:Model"] = model;
        }

        PipelineStages.Extract.AddServices(builder);
        return builder.Build();
    }

    [Fact]
    public async Task A_wrong_model_stops_the_stage_at_start_naming_the_choices()
    {
        using var host = Build("neural");

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Extraction:Model must be 'fast' or 'accurate'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, typeof(NerTagger))]
    [InlineData("fast", typeof(NerTagger))]
    [InlineData("accurate", typeof(NeuralTagger))]
    public void The_setting_picks_the_tagger(string? model, Type tagger)
    {
        using var host = Build(model);

        Assert.IsType(tagger, host.Services.GetRequiredService<EntityExtractor>().EntityTagger);
    }
}
