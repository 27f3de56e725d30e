using MassTransit;
using MassTransit.Logging;
using MassTransit.MessageData;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pipeline.Hosting;

public static class Extensions
{
    /// <summary>Health check tag of the checks that decide readiness (bus connected, database reachable).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Logging, traces, metrics, options and health checks every Pipeline process shares.</summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // One line per event; containers switch to JSON with Logging__Console__FormatterName=json. Both formats
        // show the scopes: the trace and span ids (the host's activity tracking) and the document's id. (Not
        // AddSimpleConsole and AddJsonConsole: each sets the formatter over the configuration, and the last won.)
        builder.Logging.AddConsole();
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.IncludeScopes = true;
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        builder.AddPipelineTelemetry();
        builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName);
        builder.Services.AddHealthChecks().AddCheck<BrokerReachableHealthCheck>("broker", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Traces of the stages' own spans and MassTransit's, which carries the trace from stage to stage in the
    /// messages' headers; metrics of the stages, MassTransit and the runtime for <c>/metrics</c>. Traces are
    /// recorded even when not exported, so that log lines carry their ids; they and the metrics are exported over
    /// OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Separate so tests can add it to the test harness.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing.AddSource(PipelineTelemetry.Name, DiagnosticHeaders.DefaultListenerName))
            .WithMetrics(metrics => metrics
                .AddMeter(PipelineTelemetry.Name, InstrumentationOptions.MeterName, "System.Runtime")
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// Adds the stages' services and the one MassTransit bus they share: RabbitMQ when
    /// <c>Messaging:RabbitMq</c> is set, the in-memory transport otherwise.
    /// </summary>
    public static IHostApplicationBuilder AddPipelineBus(this IHostApplicationBuilder builder, params PipelineStage[] stages)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var stage in stages)
        {
            stage.AddServices(builder);
        }

        builder.Services.AddHostedService(_ => new StageCounterSeries([.. stages.Select(s => s.Name)]));
        var messaging = builder.Configuration.GetSection(MessagingOptions.SectionName).Get<MessagingOptions>() ?? new();
        builder.Services.AddClaimChecks(messaging);
        builder.Services.AddMassTransit(bus => bus.AddPipelineStages(messaging, stages));
        var queues = stages.Where(s => s.Consumes).Select(s => StageQueues.Of(s.Name)).ToList();
        if (messaging.UsesRabbitMq && queues.Count > 0)
        {
            builder.Services.AddHostedService(sp => new StalledQueueWatchdog(
                messaging, queues, sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<ILogger<StalledQueueWatchdog>>(),
                StalledQueueWatchdog.DefaultInterval, StalledQueueWatchdog.DefaultStalledChecks));
        }

        return builder;
    }

    /// <summary>
    /// The stages' consumers on the transport the options name. Separate from <see cref="AddPipelineBus"/> so
    /// tests can put the same wiring on MassTransit's test harness.
    /// </summary>
    public static IBusRegistrationConfigurator AddPipelineStages(
        this IBusRegistrationConfigurator bus, MessagingOptions messaging, params PipelineStage[] stages)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentNullException.ThrowIfNull(messaging);
        bus.SetKebabCaseEndpointNameFormatter();
        if (!messaging.UsageTelemetry)
        {
            bus.DisableUsageTelemetry();
        }

        foreach (var stage in stages)
        {
            stage.AddConsumers(bus);
        }

        if (messaging.UsesRabbitMq)
        {
            bus.UsingRabbitMq((context, cfg) =>
            {
                var nodes = messaging.BrokerNodes();
                cfg.Host(new Uri(messaging.RabbitMq!), host =>
                {
                    if (nodes.Count > 1)
                    {
                        host.UseCluster(cluster =>
                        {
                            foreach (var node in nodes)
                            {
                                cluster.Node($"{node.Host}:{node.Port}");
                            }
                        });
                    }
                });
                cfg.UseMessageData(context.GetRequiredService<IMessageDataRepository>());
                if (messaging.DelayedExchange)
                {
                    cfg.UseDelayedMessageScheduler();
                }

                cfg.ConfigureEndpoints(context);
            });
        }
        else
        {
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.UseMessageData(context.GetRequiredService<IMessageDataRepository>());
                cfg.UseDelayedMessageScheduler();
                cfg.ConfigureEndpoints(context);
            });
        }

        return bus;
    }

    /// <summary>
    /// The claim-check repository the stages share and the <see cref="IClaimChecks"/> that removes its entries:
    /// with RabbitMQ a folder every process sees (<see cref="MessagingOptions.MessageDataFolder"/>); with the
    /// in-memory transport, where all stages run in this process, its memory. Separate so tests can register it on
    /// the harness.
    /// </summary>
    public static IServiceCollection AddClaimChecks(this IServiceCollection services, MessagingOptions messaging)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(messaging);
        // MassTransit keeps these as process-wide defaults. In memory a claim check costs nothing, so every raw
        // file is one: inline, the transport would serialise the whole file into every message. (Data under the
        // threshold always travels inline, even when also written to the repository: the threshold must be 0.)
        var inlineBytes = messaging.UsesRabbitMq ? messaging.InlineBytes : 0;
        MessageDataDefaults.AlwaysWriteToRepository = inlineBytes == 0;
        MessageDataDefaults.Threshold = inlineBytes;
        if (messaging.UsesRabbitMq)
        {
            services.AddSingleton<IMessageDataRepository>(new FileSystemMessageDataRepository(Directory.CreateDirectory(messaging.MessageDataFolder)));
            services.AddSingleton<IClaimChecks>(new ClaimCheckFolder(messaging.MessageDataFolder));
        }
        else
        {
            var inMemory = new InMemoryClaimChecks();
            services.AddSingleton<IMessageDataRepository>(inMemory);
            services.AddSingleton<IClaimChecks>(inMemory);
        }

        services.AddSingleton(sp => new LargeArticles(sp.GetRequiredService<IMessageDataRepository>(), messaging.InlineArticleChars));

        return services;
    }

    /// <summary>
    /// <c>/health/live</c> answers while the process runs; <c>/health/ready</c> only while the bus is connected
    /// and the stage's dependencies answer. Compose health checks and orchestrators call these. <c>/metrics</c>
    /// answers in Prometheus's text format.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag) || check.Tags.Contains("masstransit"),
            // A degraded bus (an endpoint not connected) cannot do the stage's work: not ready.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    /// <summary>
    /// Registers a readiness check (a dependency the stage cannot work without), once: stages that share a dependency
    /// in one process (store and relate, the database) register its check alike.
    /// </summary>
    public static IHostApplicationBuilder AddReadinessCheck<TCheck>(this IHostApplicationBuilder builder, string name)
        where TCheck : class, IHealthCheck
    {
        ArgumentNullException.ThrowIfNull(builder);
        var checks = builder.Services.AddHealthChecks();
        if (!builder.Services.Any(d => d.ServiceType == typeof(TCheck)))
        {
            builder.Services.AddSingleton<TCheck>();
            checks.AddCheck<TCheck>(name, tags: [ReadyTag]);
        }

        return builder;
    }
}
