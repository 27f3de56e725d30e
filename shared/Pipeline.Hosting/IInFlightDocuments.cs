namespace Pipeline.Hosting;

/// <summary>
/// How many documents are past ingest and neither stored nor failed, where the process can tell: the embedded run,
/// whose read-side monitor sees every message. There the bus is in memory, so ingest holds files back in the drop
/// folder above its limit (Ingest:MaxInFlight) instead of queueing them all in memory. Deployed, the broker
/// holds the backlog and nothing registers this.
/// </summary>
public interface IInFlightDocuments
{
    long InFlight { get; }
}
