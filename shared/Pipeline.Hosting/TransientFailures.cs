using System.Data.Common;
using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Pipeline.Hosting;

/// <summary>
/// Tells a failure of the infrastructure (the database or broker away, a timeout, an open circuit) from a failure
/// of the document or of the code. The first kind ends by itself, so the message waits and tries again; only
/// the second kind uses up the retries that lead to the error queue.
/// </summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Any(IsTransient);
            }

            if (e is BrokenCircuitException or TimeoutRejectedException or TimeoutException or SocketException
                    or MassTransit.ConnectionException or DbException { IsTransient: true }
                || e.GetType().Namespace == "RabbitMQ.Client.Exceptions")
            {
                return true;
            }
        }

        return false;
    }
}
