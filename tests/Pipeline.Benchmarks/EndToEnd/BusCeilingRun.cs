using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Benchmarks.EndToEnd;

/// <summary>
/// MassTransit's own ceiling on this machine: a chain of four hops moving 5 KB messages with no work in the
/// consumers, on the in-memory transport and on RabbitMQ, in one process, with MassTransit's default endpoint settings.
/// </summary>
internal static class BusCeilingRun
{
    private const int PayloadBytes = 5 * 1024;
    private const int PublishersAtOnce = 64;
    private const int WarmUpCount = 200;

    public static async Task<IReadOnlyList<RunResult>> RunAsync(int count, string rabbitMqUri) =>
    [
        await RunAsync("MassTransit alone: 4 hops, in-memory", count, null),
        await RunAsync("MassTransit alone: 4 hops, RabbitMQ", count, rabbitMqUri),
    ];

    private static async Task<RunResult> RunAsync(string name, int count, string? rabbitMqUri)
    {
        var arrivals = new Arrivals();
        var services = new ServiceCollection();
        services.AddSingleton(arrivals);
        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter("ceiling-" + Guid.NewGuid().ToString("N")[..8], false));
            bus.AddConsumer<FirstHopConsumer>();
            bus.AddConsumer<SecondHopConsumer>();
            bus.AddConsumer<ThirdHopConsumer>();
            bus.AddConsumer<LastHopConsumer>();
            if (rabbitMqUri is null)
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
            else
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(new Uri(rabbitMqUri));
                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        await using var provider = services.BuildServiceProvider();
        var control = provider.GetRequiredService<IBusControl>();
        await control.StartAsync();
        try
        {
            var payload = new byte[PayloadBytes];
            new Random(5).NextBytes(payload);
            await SendAsync(control, arrivals, WarmUpCount, payload);
            var broker = ProcessStats.CpuSecondsOfAll("beam.smp");
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await SendAsync(control, arrivals, count, payload);
            var wall = clock.Elapsed;
            process.Refresh();
            var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / count;
            broker = ProcessStats.CpuSecondsOfAll("beam.smp") - broker;
            return new RunResult(
                name,
                count / wall.TotalSeconds,
                null,
                null,
                null,
                [new ProcessFigures("publisher + 4 consumers", cpuMs, double.NaN, double.NaN)],
                rabbitMqUri is null
                    ? $"{PayloadBytes / 1024} KB messages, no work"
                    : string.Create(CultureInfo.InvariantCulture, $"{PayloadBytes / 1024} KB messages, no work; RabbitMQ CPU {broker * 1000 / count:F2} ms/doc"));
        }
        finally
        {
            await control.StopAsync();
        }
    }

    private static async Task SendAsync(IBus bus, Arrivals arrivals, int count, byte[] payload)
    {
        var all = arrivals.Expect(count);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = PublishersAtOnce },
            async (i, ct) => await bus.Publish(new CeilingHop1(i, payload), ct));
        await all.WaitAsync(TimeSpan.FromMinutes(10));
    }
}

/// <summary>Counts messages at the end of the chain.</summary>
internal sealed class Arrivals
{
    private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;
    private int _expected;

    /// <summary>Starts a new count; the returned task completes when <paramref name="count"/> messages arrived.</summary>
    public Task Expect(int count)
    {
        _all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _arrived, 0);
        Volatile.Write(ref _expected, count);
        return _all.Task;
    }

    public void Arrive()
    {
        if (Interlocked.Increment(ref _arrived) == Volatile.Read(ref _expected))
        {
            _all.TrySetResult();
        }
    }
}

public sealed record CeilingHop1(int Number, byte[] Payload);

public sealed record CeilingHop2(int Number, byte[] Payload);

public sealed record CeilingHop3(int Number, byte[] Payload);

public sealed record CeilingHop4(int Number, byte[] Payload);

internal sealed class FirstHopConsumer : IConsumer<CeilingHop1>
{
    public Task Consume(ConsumeContext<CeilingHop1> context) => context.Publish(new CeilingHop2(context.Message.Number, context.Message.Payload));
}

internal sealed class SecondHopConsumer : IConsumer<CeilingHop2>
{
    public Task Consume(ConsumeContext<CeilingHop2> context) => context.Publish(new CeilingHop3(context.Message.Number, context.Message.Payload));
}

internal sealed class ThirdHopConsumer : IConsumer<CeilingHop3>
{
    public Task Consume(ConsumeContext<CeilingHop3> context) => context.Publish(new CeilingHop4(context.Message.Number, context.Message.Payload));
}

internal sealed class LastHopConsumer(Arrivals arrivals) : IConsumer<CeilingHop4>
{
    public Task Consume(ConsumeContext<CeilingHop4> context)
    {
        arrivals.Arrive();
        return Task.CompletedTask;
    }
}
