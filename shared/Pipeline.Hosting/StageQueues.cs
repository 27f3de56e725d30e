namespace Pipeline.Hosting;

/// <summary>The broker queues a stage owns: where its messages wait, and where MassTransit puts those it gave up on.</summary>
public static class StageQueues
{
    public static string Of(string stage) => stage.ToLowerInvariant();

    public static string ErrorOf(string stage) => Of(stage) + "_error";
}
