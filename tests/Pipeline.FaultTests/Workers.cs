using Pipeline.Testing;

namespace Pipeline.FaultTests;

/// <summary>The deployed topology as processes: <c>replicas</c> of each stage, each killable and restartable.</summary>
internal sealed class Workers(IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private static readonly string[] Services = ["Pipeline.Relate", "Pipeline.Store", "Pipeline.Extract", "Pipeline.Clean", "Pipeline.Ingest"];
    private readonly List<Worker> _workers = [];

    public int Count => _workers.Count;

    public async Task StartAsync(int replicas, TimeSpan patience)
    {
        foreach (var service in Services)
        {
            for (var replica = 0; replica < replicas; replica++)
            {
                var worker = new Worker(service, ServiceProcess.FreePort());
                worker.Start(environment);
                _workers.Add(worker);
            }
        }

        foreach (var worker in _workers)
        {
            await worker.Process!.WaitUntilReadyAsync(worker.Health, patience);
        }
    }

    /// <summary>SIGKILLs one worker and starts it again at once; returns which.</summary>
    public async Task<string> KillAndRestartAsync(Random random)
    {
        var worker = _workers[random.Next(_workers.Count)];
        await worker.Process!.DisposeAsync();
        worker.Start(environment);
        return worker.Service;
    }

    /// <summary>How many workers answer their readiness probe with 200 right now.</summary>
    public async Task<int> ReadyCountAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var ready = 0;
        foreach (var worker in _workers)
        {
            try
            {
                using var response = await client.GetAsync(worker.Health);
                ready += response.IsSuccessStatusCode ? 1 : 0;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
        }

        return ready;
    }

    public string Output() => string.Join(Environment.NewLine, _workers.Select(w => $"--- {w.Service} ---{Environment.NewLine}{w.Process?.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            if (worker.Process is not null)
            {
                await worker.Process.DisposeAsync();
            }
        }
    }

    private sealed class Worker(string service, int port)
    {
        public string Service => service;

        public Uri Health { get; } = new($"http://127.0.0.1:{port}/health/ready");

        public ServiceProcess? Process { get; private set; }

        public void Start(IReadOnlyDictionary<string, string> environment) =>
            Process = ServiceProcess.Start(
                RepositoryPaths.ServiceAssembly(service),
                [],
                new Dictionary<string, string>(environment) { ["Urls"] = $"http://127.0.0.1:{port}" });
    }
}
