namespace Pipeline.DeploymentTests;

/// <summary>The compose deployments run one after the other: each alone keeps the machine's cores busy.</summary>
[CollectionDefinition(Name)]
public sealed class ComposeRuns
{
    public const string Name = "compose";
}
