namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>What the provider said on this pass, after the gateway checked it against the attempt.</summary>
public enum ProviderView
{
    /// <summary>Not asked yet on this pass.</summary>
    NotAsked,
    Paid,
    Pending,
    AwaitingShopper,
    Failed,
    Canceled,
    /// <summary>Paid, but not for the amount, currency or reference we asked for.</summary>
    Mismatched,
    /// <summary>The money is held (authorised, not captured): it is captured before Snipcart hears "processed".</summary>
    Authorized,
    /// <summary>Authorised, but not for the amount, currency or reference we asked for: voided, never captured.</summary>
    AuthorizedMismatch,
    /// <summary>Paid, and given back in full before Snipcart heard of it.</summary>
    RefundedInFull,
    /// <summary>No answer (network, timeout, 5xx).</summary>
    Unreachable,
    /// <summary>The provider refused to tell (4xx): it may no longer know the payment.</summary>
    Refused,
    /// <summary>The provider says the return's parameters (this one's, or those kept from an earlier one) do not
    /// describe this payment.</summary>
    ReturnRejected,
}

/// <summary>The provider's answer to a void asked on this pass.</summary>
public enum VoidAnswer
{
    NotAsked,
    Voided,
    /// <summary>4xx: it is paid, already closed, or in flight; only a later lookup tells which.</summary>
    Refused,
    Unreachable,
}

/// <summary>What happened when this pass tried to take the session for telling Snipcart.</summary>
public enum SessionAnswer
{
    NotAsked,
    /// <summary>Taken: this attempt may tell Snipcart.</summary>
    Ours,
    /// <summary>The session changed between read and write: read again.</summary>
    Lost,
    /// <summary>Another attempt of the session is telling Snipcart right now.</summary>
    Busy,
    /// <summary>Another attempt already confirmed the session "processed".</summary>
    PaidByAnother,
    /// <summary>Looked at, not taken: no other attempt paid the session (so an authorisation may be captured).</summary>
    Unpaid,
}

/// <summary>The provider's answer to a capture asked on this pass (under the attempt's one capture id).</summary>
public enum CaptureAnswer
{
    NotAsked,
    Captured,
    /// <summary>Accepted, not settled: the next lookup tells.</summary>
    Pending,
    /// <summary>4xx: the authorisation expired, was voided, or cannot be captured.</summary>
    Refused,
    /// <summary>No answer: it may have been captured; asked again later under the same id.</summary>
    Unreachable,
}

public sealed record LifecycleRules(TimeSpan AbandonAfter, TimeSpan ReconcileAfter);

/// <summary>
/// Everything the decision looks at: the attempt as stored, what set this pass off, what this pass has learnt so
/// far (the provider's view, a void's answer, the session's answer) and the clock. Nothing else: no I/O.
/// </summary>
public sealed record LifecycleInput
{
    public required PaymentAttempt Attempt { get; init; }
    public required FinishTrigger Trigger { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required LifecycleRules Rules { get; init; }
    /// <summary>Until when a returning shopper may be kept waiting for another request that is telling Snipcart.</summary>
    public DateTimeOffset WaitUntil { get; init; }

    /// <summary>The attempt's provider is configured (it may have been removed since the attempt started).</summary>
    public bool ProviderKnown { get; init; } = true;
    /// <summary>The provider can void an unpaid checkout.</summary>
    public bool CanVoid { get; init; }
    /// <summary>The provider can capture an authorised payment.</summary>
    public bool CanCapture { get; init; }
    /// <summary>This pass brought the shopper's return parameters.</summary>
    public bool HasFreshReturn { get; init; }

    public ProviderView View { get; init; }
    public VoidAnswer Void { get; init; }
    public SessionAnswer Session { get; init; }
    public CaptureAnswer Capture { get; init; }
    /// <summary>The provider no longer accepts the return parameters kept from an earlier return: ask without.</summary>
    public bool KeptReturnRejected { get; init; }

    public bool MayWait => Trigger == FinishTrigger.ShopperReturn && Now <= WaitUntil;
}
