namespace SnipcartGateway.Sandbox;

// Snipcart's side: payment sessions, public tokens, create-payment calls and forced failures.
public sealed partial class SandboxState
{
    private readonly Dictionary<string, SandboxSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string SessionId, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    private readonly List<PaymentCallRecord> _paymentCalls = [];
    private readonly Dictionary<SimulatedEndpoint, Queue<InjectedFault>> _faults = [];
    private readonly List<StoreRefundRecord> _storeRefunds = [];

    /// <summary>Creates a payment session as Snipcart does when the shopper reaches the payment step.</summary>
    public SandboxSession CreateSession(SandboxMode mode, SandboxInvoice invoice)
    {
        var session = new SandboxSession
        {
            Id = SandboxIds.SessionId(),
            Mode = mode,
            Invoice = invoice,
            PaymentAuthorizationRedirectUrl = Options.PublicBase + "/#/checkout",
            CreatedAt = Now,
        };
        lock (_gate)
        {
            _sessions.Add(session.Id, session);
        }
        return session;
    }

    /// <summary>A new public token for the session, valid for <see cref="SandboxOptions.TokenLifetime"/> (or <paramref name="lifetime"/>).</summary>
    public string MintToken(string sessionId, TimeSpan? lifetime = null)
    {
        var expiresAt = Now + (lifetime ?? Options.TokenLifetime);
        var token = SandboxIds.PublicToken(expiresAt);
        lock (_gate)
        {
            if (!_sessions.ContainsKey(sessionId))
            {
                throw new KeyNotFoundException($"No session {sessionId}.");
            }
            _tokens.Add(token, (sessionId, expiresAt));
        }
        return token;
    }

    /// <summary>Makes a token expire now. False when the token is unknown.</summary>
    public bool ExpireToken(string token)
    {
        lock (_gate)
        {
            if (!_tokens.TryGetValue(token, out var entry))
            {
                return false;
            }
            _tokens[token] = entry with { ExpiresAt = Now.AddSeconds(-1) };
            return true;
        }
    }

    /// <summary>The session of a live (known, unexpired) token, or null.</summary>
    public SandboxSession? FindSessionByToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var entry) && entry.ExpiresAt > Now ? _sessions.GetValueOrDefault(entry.SessionId) : null;
        }
    }

    public SandboxSession? GetSession(string sessionId)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(sessionId);
        }
    }

    public IReadOnlyList<SandboxSession> Sessions
    {
        get { lock (_gate) { return [.. _sessions.Values.OrderBy(s => s.CreatedAt)]; } }
    }

    /// <summary>Every create-payment call received, oldest first.</summary>
    public IReadOnlyList<PaymentCallRecord> PaymentCalls
    {
        get { lock (_gate) { return [.. _paymentCalls]; } }
    }

    public IReadOnlyList<PaymentCallRecord> PaymentCallsFor(string sessionId)
    {
        lock (_gate)
        {
            return [.. _paymentCalls.Where(c => c.SessionId == sessionId)];
        }
    }

    /// <summary>How many accepted create-payment calls said "processed" for the session (1 is the only right answer).</summary>
    public int ConfirmationsFor(string sessionId)
    {
        lock (_gate)
        {
            return _paymentCalls.Count(c => c.Accepted && c.SessionId == sessionId && c.State == "processed");
        }
    }

    /// <summary>
    /// Makes the next <paramref name="times"/> calls to <paramref name="endpoint"/> answer <paramref name="statusCode"/>.
    /// With <paramref name="afterApplying"/> the call takes effect first (e.g. the payment is confirmed) and the
    /// failure is only in the answer.
    /// </summary>
    public void FailNext(SimulatedEndpoint endpoint, int statusCode, int times = 1, bool afterApplying = false)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(endpoint, out var queue))
            {
                _faults[endpoint] = queue = new Queue<InjectedFault>();
            }
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(new InjectedFault(statusCode, afterApplying));
            }
        }
    }

    internal InjectedFault? TakeFault(SimulatedEndpoint endpoint)
    {
        lock (_gate)
        {
            return _faults.TryGetValue(endpoint, out var queue) && queue.TryDequeue(out var fault) ? fault : null;
        }
    }

    /// <summary>Records a create-payment call and, when accepted, makes it the session's latest state.</summary>
    internal void RecordPaymentCall(PaymentCallRecord call)
    {
        lock (_gate)
        {
            _paymentCalls.Add(call);
            if (call.Accepted && call.SessionId is not null && _sessions.TryGetValue(call.SessionId, out var session))
            {
                _sessions[call.SessionId] = session with
                {
                    State = call.State,
                    TransactionId = call.TransactionId,
                    Error = call.Error,
                    Instructions = call.Instructions ?? session.Instructions,
                    RefundsUrl = call.RefundsUrl ?? session.RefundsUrl,
                };
            }
        }
    }

    internal void SetPaymentMethods(string sessionId, IReadOnlyList<SandboxPaymentMethod> methods)
    {
        lock (_gate)
        {
            if (_sessions.TryGetValue(sessionId, out var session))
            {
                _sessions[sessionId] = session with { PaymentMethods = methods };
            }
        }
    }

    public IReadOnlyList<StoreRefundRecord> StoreRefundsFor(string sessionId)
    {
        lock (_gate)
        {
            return [.. _storeRefunds.Where(r => r.SessionId == sessionId)];
        }
    }

    internal void RecordStoreRefund(StoreRefundRecord refund)
    {
        lock (_gate)
        {
            _storeRefunds.Add(refund);
        }
    }
}
