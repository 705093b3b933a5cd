using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>How old an attempt is: within its checkout's life, or past its expiry and AbandonAfter.</summary>
public enum Age { Fresh, Expired }

/// <summary>One combination of everything the lifecycle decides on, with an attempt that is in <see cref="State"/>.</summary>
/// <param name="CanVoid">The provider can void and capture (every real provider that can do one does both).</param>
public sealed record LifecycleCase(PaymentState State, Age Age, bool Claimed, bool CanVoid, FinishTrigger Trigger, ProviderView View, VoidAnswer Void, SessionAnswer Session, CaptureAnswer Capture = CaptureAnswer.NotAsked)
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly LifecycleRules Rules = new(AbandonAfter: TimeSpan.FromHours(24), ReconcileAfter: TimeSpan.FromMinutes(2));

    /// <summary>Every combination: states x ages x claims x void capability x triggers x views x void, session and
    /// capture answers.</summary>
    public static IEnumerable<LifecycleCase> All() =>
        from state in Enum.GetValues<PaymentState>()
        from age in Enum.GetValues<Age>()
        from claimed in new[] { false, true }
        from canVoid in new[] { false, true }
        from trigger in Enum.GetValues<FinishTrigger>()
        from view in Enum.GetValues<ProviderView>()
        from voidAnswer in Enum.GetValues<VoidAnswer>()
        from session in Enum.GetValues<SessionAnswer>()
        from capture in Enum.GetValues<CaptureAnswer>()
        select new LifecycleCase(state, age, claimed, canVoid, trigger, view, voidAnswer, session, capture);

    public bool Final => State is PaymentState.Processed or PaymentState.Failed;
    public bool Abandoned => State is PaymentState.Closed or PaymentState.GivenUpPaid;
    public bool ToldProcessing => State == PaymentState.ToldProcessing;
    public bool ViewFailed => View is ProviderView.Failed or ProviderView.Canceled or ProviderView.Mismatched or ProviderView.RefundedInFull or ProviderView.AuthorizedMismatch;
    public bool ViewIsPayment => View is ProviderView.Paid or ProviderView.Pending or ProviderView.AwaitingShopper or ProviderView.Authorized || ViewFailed;
    /// <summary>Money held, not taken, at a provider that cannot capture: waited on like money pending.</summary>
    public bool ViewPending => View == ProviderView.Pending || View == ProviderView.Authorized && !CanVoid;

    public LifecycleInput Input() => new()
    {
        Attempt = Attempt(),
        Trigger = Trigger,
        Now = Now,
        Rules = Rules,
        WaitUntil = Now.AddSeconds(15),
        CanVoid = CanVoid,
        CanCapture = CanVoid,
        View = View,
        Void = Void,
        Session = Session,
        Capture = Capture,
    };

    /// <summary>An attempt as it is stored in <see cref="State"/>.</summary>
    public PaymentAttempt Attempt()
    {
        var attempt = new PaymentAttempt
        {
            PaymentRef = "pay_case",
            SessionId = "session",
            ProviderId = "provider",
            Mode = PaymentMode.Test,
            Amount = new Money(10m, "USD"),
            InvoiceJson = "{}",
            RefundKey = "key",
            CreatedAt = Age == Age.Fresh ? Now.AddMinutes(-5) : Now.AddHours(-25),
            ProviderPaymentId = State == PaymentState.Created ? null : "provider-id",
        };
        switch (State)
        {
            case PaymentState.AwaitingShopper: attempt.Status = PaymentStatus.AwaitingShopper; break;
            case PaymentState.Declined: attempt.Status = PaymentStatus.Failed; break;
            case PaymentState.Paid: attempt.Status = PaymentStatus.Paid; break;
            case PaymentState.ToldProcessing: attempt.ConfirmedState = SnipcartPaymentState.Processing; break;
            case PaymentState.Processed: attempt.Status = PaymentStatus.Paid; attempt.ConfirmedState = SnipcartPaymentState.Processed; break;
            case PaymentState.Failed: attempt.Status = PaymentStatus.Failed; attempt.ConfirmedState = SnipcartPaymentState.Failed; break;
            case PaymentState.Closed: attempt.Status = PaymentStatus.AwaitingShopper; attempt.Abandoned = true; break;
            case PaymentState.GivenUpPaid: attempt.Status = PaymentStatus.Paid; attempt.Abandoned = true; break;
            case PaymentState.GivingBack:
                attempt.Status = PaymentStatus.Paid;
                attempt.Abandoned = true;
                GiveBacks.Decide(attempt, FlagCodes.DuplicatePayment, Now);
                break;
        }
        if (Claimed)
        {
            attempt.Claim(SnipcartPaymentState.Processed, "claim", Now, TimeSpan.FromMinutes(2));
        }
        return attempt;
    }
}
