using Microsoft.Extensions.Hosting;
using Pipeline.Storage;

namespace Pipeline.Stages.Store;

/// <summary>Creates or migrates the schema before the bus starts delivering documents to the store.</summary>
public sealed class DocumentStoreInitializer(IDocumentStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
