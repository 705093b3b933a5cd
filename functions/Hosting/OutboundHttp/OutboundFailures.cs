using Polly.CircuitBreaker;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>What an exception from an outbound call (however wrapped by a client) says about the call.</summary>
public static class OutboundFailures
{
    /// <summary>True when the circuit breaker refused the call: nothing was sent, the upstream decided nothing.</summary>
    public static bool WasNotSent(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is BrokenCircuitException or IsolatedCircuitException)
            {
                return true;
            }
        }
        return false;
    }
}
