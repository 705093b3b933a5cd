namespace SnipcartGateway.Domain;

public enum InFlightVerdict
{
    /// <summary>No other attempt may still take the shopper's money: a new one may start.</summary>
    Allow,
    /// <summary>The session is paid: nothing more to start.</summary>
    AlreadyPaid,
    /// <summary>Another attempt is pending, awaiting the shopper, or paid and not yet confirmed.</summary>
    InProgress,
}

/// <param name="PaymentRef">The attempt in flight (for <see cref="InFlightVerdict.InProgress"/>).</param>
/// <param name="CanCancel">Whether the shopper can cancel it here (the provider voids it) and choose again;
/// otherwise they must finish it at the provider or wait for it to settle.</param>
public sealed record InFlightDecision(InFlightVerdict Verdict, string? PaymentRef = null, bool CanCancel = false)
{
    public static readonly InFlightDecision Allow = new(InFlightVerdict.Allow);
}

/// <summary>
/// One payment in flight per Snipcart session: while an attempt may still take the shopper's money, a second Pay
/// starts nothing (two attempts could both be paid). The session record names the latest attempt started
/// (<see cref="PaymentSessionRecord.InFlightPaymentRef"/>, written with the session's ETag, so two tabs pressing Pay
/// together start one); this decides, from it and that attempt, whether another may start.
/// </summary>
public static class PaymentInFlightRule
{
    /// <summary>How long a session may name an attempt that is not written yet (another tab is creating it right
    /// now) before the name is taken for a crash between the two writes and ignored.</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromMinutes(2);

    /// <param name="inFlight">The attempt the session names, null when it names none or it does not exist.</param>
    /// <param name="providerCanCancel">The attempt's provider can void an unpaid payment.</param>
    public static InFlightDecision Decide(PaymentSessionRecord session, PaymentAttempt? inFlight, bool providerCanCancel, DateTimeOffset now)
    {
        if (session.ProcessedPaymentRef is not null)
        {
            return new InFlightDecision(InFlightVerdict.AlreadyPaid, session.ProcessedPaymentRef);
        }
        if (session.InFlightPaymentRef is not { } named)
        {
            return InFlightDecision.Allow;
        }
        if (inFlight is null)
        {
            var starting = session.InFlightSince is { } since && now - since < StartGrace;
            return starting ? new InFlightDecision(InFlightVerdict.InProgress, named) : InFlightDecision.Allow;
        }
        return MayStillTakeMoney(inFlight)
            ? new InFlightDecision(InFlightVerdict.InProgress, inFlight.PaymentRef, CanCancel(inFlight, providerCanCancel))
            : InFlightDecision.Allow;
    }

    /// <summary>Not settled, and not known to have failed: the provider may still take (or has taken) the money. An
    /// authorisation counts: the gateway captures it (or voids it) before the order can be paid again.</summary>
    public static bool MayStillTakeMoney(PaymentAttempt attempt) =>
        !attempt.IsSettled && attempt.Status is PaymentStatus.Pending or PaymentStatus.AwaitingShopper or PaymentStatus.Paid or PaymentStatus.Authorized;

    /// <summary>Only a payment the shopper has not acted on can be voided, and only by a provider that can void;
    /// money committed (pending) or paid is finished at the provider, never cancelled from here.</summary>
    public static bool CanCancel(PaymentAttempt attempt, bool providerCanCancel) =>
        providerCanCancel && attempt.Status == PaymentStatus.AwaitingShopper && attempt.ConfirmedState is null && !attempt.IsSettled;
}
