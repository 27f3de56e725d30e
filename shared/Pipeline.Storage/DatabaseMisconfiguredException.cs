using System.Data.Common;

namespace Pipeline.Storage;

/// <summary>
/// The database server is set up so that documents cannot be stored (a PostgreSQL database that is not UTF-8).
/// That is an outage to fix on the server, never a fault of the document: it reports itself as transient
/// (<see cref="DbException.IsTransient"/>), so the stages' outage handling holds the messages and waits, and
/// readiness says not ready, instead of sending every document with a non-ASCII character to the error queue.
/// </summary>
public sealed class DatabaseMisconfiguredException : DbException
{
    public DatabaseMisconfiguredException()
    {
    }

    public DatabaseMisconfiguredException(string message)
        : base(message)
    {
    }

    public DatabaseMisconfiguredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True: the messages must wait for the fix, not use up their retries.</summary>
    public override bool IsTransient => true;
}
