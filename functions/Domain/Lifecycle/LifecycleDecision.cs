namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>What the executor does next. Each step either ends the pass with an outcome or feeds its answer back
/// into the decision's input and asks again.</summary>
public enum LifecycleStep
{
    /// <summary>End the pass with <see cref="LifecycleDecision.Outcome"/>; nothing is written.</summary>
    Finish,
    /// <summary>Pause briefly, read the attempt again and decide again (a returning shopper waits).</summary>
    Wait,
    /// <summary>Read the attempt again and decide again at once.</summary>
    Reread,
    /// <summary>Ask the provider (with the return parameters kept on the attempt, unless they were rejected).</summary>
    LookUp,
    /// <summary>Ask the provider about an attempt Snipcart has a final word on, and record money that moved since.</summary>
    CheckLateMoney,
    /// <summary>Void the checkout at the provider, then look again.</summary>
    Void,
    /// <summary>Write the decision's changes (conditional on the ETag), then end with the outcome; a lost race re-reads.</summary>
    Save,
    /// <summary>Take the session for <see cref="LifecycleDecision.Send"/>, then decide again with its answer.</summary>
    ClaimSession,
    /// <summary>Write the decision's changes with a claim on the attempt, then tell Snipcart <see cref="LifecycleDecision.Send"/>.</summary>
    TellSnipcart,
    /// <summary>Ask the provider (again, under the same refund id) to give back money the order does not keep.</summary>
    GiveBack,
    /// <summary>Look at the session without taking it: did another attempt pay it?</summary>
    CheckSession,
    /// <summary>Capture the authorised payment under the attempt's one capture id, then look again.</summary>
    Capture,
}

/// <summary>How a decision leaves <see cref="PaymentAttempt.FailureCode"/> and <see cref="PaymentAttempt.NeedsAttention"/>.</summary>
/// <param name="Code">The code, or null to leave it as the provider's view set it.</param>
/// <param name="Replace">Replace an existing code (else only set when none).</param>
/// <param name="Attention">A person must look.</param>
public sealed record Flag(string? Code, bool Replace, bool Attention)
{
    /// <summary>A person must look; the code says why.</summary>
    public static Flag Raise(string code) => new(code, Replace: true, Attention: true);
    public static Flag RaiseUnlessCoded(string code) => new(code, Replace: false, Attention: true);
    /// <summary>Why the attempt closed, when nothing else said why; nobody needs to look.</summary>
    public static Flag Note(string code) => new(code, Replace: false, Attention: false);
}

/// <param name="Step">What the executor does next.</param>
/// <param name="Rule">The rule that decided, named in docs/payment-lifecycle.md.</param>
public sealed record LifecycleDecision(LifecycleStep Step, string Rule)
{
    public FinishOutcome Outcome { get; init; }
    /// <summary>The state to tell Snipcart (ClaimSession, TellSnipcart).</summary>
    public SnipcartPaymentState? Send { get; init; }
    /// <summary>Record the provider's view on the attempt (Save, TellSnipcart).</summary>
    public bool RecordView { get; init; }
    /// <summary>Close the attempt (Abandoned): nothing more is told to Snipcart.</summary>
    public bool Close { get; init; }
    /// <summary>Put a closed attempt back on the list of unsettled ones.</summary>
    public bool Reopen { get; init; }
    public Flag? Flag { get; init; }
    /// <summary>Send this shopper where the attempt that paid the session sent its shopper.</summary>
    public bool TakePayingAttemptsReturnUrl { get; init; }
    /// <summary>LookUp without the return parameters kept from an earlier return (the provider rejected them).</summary>
    public bool DropKeptReturn { get; init; }
    /// <summary>Give the attempt's money back, for this reason (<c>duplicate_payment</c>, <c>payment_mismatch</c>): recorded
    /// with the decision's write, then asked of the provider.</summary>
    public string? GiveBack { get; init; }
    /// <summary>A lost write race ends the pass Waiting instead of reading again.</summary>
    public bool WaitingOnConflict { get; init; }
}
