namespace Pipeline.Hosting;

/// <summary>
/// Where the raw files travel beside the messages (MassTransit's message data, a claim check): the store
/// removes a document's claim check once the document is committed, since nothing reads it after that.
/// </summary>
public interface IClaimChecks
{
    /// <summary>
    /// Removes the claim check behind a message-data address. Data carried inline has no claim check and
    /// addresses of another repository are not this one's: both are left alone, as is a claim check already gone.
    /// </summary>
    void Remove(Uri? address);
}
