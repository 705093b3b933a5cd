namespace SnipcartGateway.Sandbox;

// The call logs: what the sandbox received and what it sent.
public sealed partial class SandboxState
{
    private readonly List<ReceivedCallRecord> _received = [];
    private readonly List<SentCallRecord> _sent = [];

    /// <summary>Every request received under /api and /sandboxpay, oldest first.</summary>
    public IReadOnlyList<ReceivedCallRecord> ReceivedCalls
    {
        get { lock (_gate) { return [.. _received]; } }
    }

    /// <summary>Every request the sandbox sent (webhooks, notifications), oldest first.</summary>
    public IReadOnlyList<SentCallRecord> SentCalls
    {
        get { lock (_gate) { return [.. _sent]; } }
    }

    /// <summary>How many requests hit <paramref name="path"/> (exact, case-insensitive), e.g. "/api/public/custom-payment-gateway/validate".</summary>
    public int ReceivedCount(string path, string method = "GET")
    {
        lock (_gate)
        {
            return _received.Count(c => string.Equals(c.Path, path, StringComparison.OrdinalIgnoreCase) && string.Equals(c.Method, method, StringComparison.OrdinalIgnoreCase));
        }
    }

    internal void RecordReceived(ReceivedCallRecord call)
    {
        lock (_gate)
        {
            _received.Add(call);
        }
    }

    internal void RecordSent(SentCallRecord call)
    {
        lock (_gate)
        {
            _sent.Add(call);
        }
    }
}
