namespace SnipcartGateway.Domain;

/// <summary>What the timer does next with one open refund.</summary>
public enum RefundFollowUpStep
{
    /// <summary>Not due yet: leave it for a later run.</summary>
    Wait,
    /// <summary>Final and kept (succeeded): take it off the open list.</summary>
    Forget,
    /// <summary>Final and refused: give its reservation back (once), then take it off the list.</summary>
    ReleaseAndForget,
    /// <summary>A refund by hand: nothing to ask anyone; it waits for the merchant's "done" or "dropped".</summary>
    AwaitMerchant,
    /// <summary>Ask the provider what became of it (its refund lookup).</summary>
    LookUp,
    /// <summary>Ask again by repeating the refund under the same idempotency key (no lookup, or no answer ever came).</summary>
    Repeat,
    /// <summary>A repeat is due but the provider may have forgotten the refund's idempotency key: repeating could refund
    /// twice, so the refund becomes one a person settles (they check the provider's dashboard, then mark it done or
    /// dropped).</summary>
    HandOver,
}

/// <summary>
/// The follow-up of refunds as a table of rules: a refund the provider answered "pending", or whose answer was lost,
/// is asked about again until final, with backoff; after <c>maxChecks</c> unanswered checks it is flagged (and still
/// asked, at the slowest pace). Pure, so it is tested as a table.
/// </summary>
public static class RefundFollowUpPolicy
{
    public const string ManualRefundRequired = "manual_refund_required";
    public const string RefundFailedAfterPending = "refund_failed";
    public const string RefundUnresolved = "refund_unresolved";

    /// <summary>How long before the provider's key lifetime a repeat is no longer sent: the timer's period, a slow
    /// call and the clocks of two parties must all fit inside the window.</summary>
    public static readonly TimeSpan KeyLifetimeMargin = TimeSpan.FromMinutes(30);

    /// <param name="givingBack">The refund is an attempt's give-back still under way: the payment's own lifecycle
    /// asks the provider again (<c>GiveBackService</c>, from the finisher the timer runs), so this list only waits for
    /// its final state, and one place follows each refund.</param>
    /// <param name="keyMayHaveExpired"><see cref="KeyMayHaveExpired"/>: a repeat would no longer be deduplicated.</param>
    public static RefundFollowUpStep Decide(RefundState state, bool due, bool providerLooksUp, bool providerKnown, bool givingBack = false, bool keyMayHaveExpired = false) => state switch
    {
        RefundState.Succeeded => RefundFollowUpStep.Forget,
        RefundState.Failed => RefundFollowUpStep.ReleaseAndForget,
        RefundState.ManualRefundRequired => RefundFollowUpStep.AwaitMerchant,
        _ when !due || !providerKnown || givingBack => RefundFollowUpStep.Wait,
        // A pending refund was accepted by the provider: a lookup reads its state. One never answered may not exist
        // there at all, and only repeating it under its key both creates and reads it.
        RefundState.Pending when providerLooksUp => RefundFollowUpStep.LookUp,
        // ... as long as the provider still knows the key: past that, a repeat is a second refund.
        _ when keyMayHaveExpired => RefundFollowUpStep.HandOver,
        _ => RefundFollowUpStep.Repeat,
    };

    /// <summary>Whether a refund first sent at <paramref name="firstSent"/> may have outlived the provider's
    /// idempotency key (<paramref name="keyLifetime"/>, null: kept as long as the payment), less
    /// <see cref="KeyLifetimeMargin"/>.</summary>
    public static bool KeyMayHaveExpired(DateTimeOffset firstSent, DateTimeOffset now, TimeSpan? keyLifetime) =>
        keyLifetime is { } lifetime && now - firstSent >= lifetime - KeyLifetimeMargin;

    /// <summary>
    /// A refund recorded but never reserved on its payment: the request that recorded it stopped (a storage failure, a
    /// crash, a lost race) between the record and the reservation, and nothing is sent or asked of the merchant before
    /// the reservation. Snipcart's retry of that request made its own refund under another id, so this one must never
    /// be sent or made by hand: it is dropped. A give-back is not: its next pass decides the same refund id again.
    /// Only once <paramref name="age"/> is past <paramref name="lease"/> (the request may still be reserving it).
    /// </summary>
    public static bool NeverReserved(RefundState state, bool reserved, bool giveBack, TimeSpan age, TimeSpan lease) =>
        !reserved && !giveBack && state is RefundState.Requested or RefundState.ManualRefundRequired && age > lease;

    /// <summary>When a refund not yet checked is first due: as fresh attempts, it is left to the request that made it
    /// for <paramref name="firstCheckAfter"/>.</summary>
    public static DateTimeOffset DueAt(RefundRecord refund, TimeSpan firstCheckAfter) =>
        refund.NextCheckAt ?? refund.RequestedAt + firstCheckAfter;

    /// <summary>The wait after the <paramref name="checks"/>-th check that left the refund open:
    /// base × 2^(checks−1), at most <paramref name="max"/> (the base is Payments__ReconcileAfter, as for attempts).</summary>
    public static TimeSpan Backoff(int checks, TimeSpan baseDelay, TimeSpan max)
    {
        var exponent = Math.Clamp(checks - 1, 0, 20);
        var delay = baseDelay * Math.Pow(2, exponent);
        return delay > max ? max : delay;
    }

    /// <summary>Flagged once the checks reach the cap (and never unflagged by more unanswered checks).</summary>
    public static bool ShouldFlag(int checks, int maxChecks) => checks >= maxChecks;
}
