using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>
/// What one pass of the finisher has learnt so far: the lifecycle decision's input besides the stored attempt. The
/// provider's view is kept across re-reads (a lost write race does not ask the provider again) until a void makes it
/// stale; the session's answer is good for the one decision that follows it.
/// </summary>
internal sealed class FinishPass(FinishTrigger trigger, IReadOnlyDictionary<string, string>? freshReturn, DateTimeOffset waitUntil)
{
    public FinishTrigger Trigger { get; } = trigger;
    public DateTimeOffset WaitUntil { get; } = waitUntil;
    /// <summary>The shopper's return parameters that came with this pass, bounded.</summary>
    public IReadOnlyDictionary<string, string>? FreshReturn { get; } = freshReturn;

    public ProviderView View { get; private set; }
    /// <summary>The provider's answer behind <see cref="View"/>, when it gave one.</summary>
    public ProviderPayment? Seen { get; private set; }
    public VoidAnswer Void { get; set; }
    public SessionAnswer Session { get; set; }
    public CaptureAnswer Capture { get; set; }
    /// <summary>What the provider's capture answer left for later calls (Smartpay's payment id, for refunds).</summary>
    public IReadOnlyDictionary<string, string>? CaptureData { get; set; }
    public bool KeptReturnRejected { get; set; }

    public void Saw(ProviderView view, ProviderPayment? seen = null)
    {
        View = view;
        Seen = seen;
    }

    /// <summary>After a void, what the provider said before it no longer counts.</summary>
    public void Forget() => Saw(ProviderView.NotAsked);

    /// <summary>The decision's input for the attempt as just read. The session's answer is consumed.</summary>
    public LifecycleInput TakeInput(PaymentAttempt attempt, IPaymentProvider? provider, DateTimeOffset now, LifecycleRules rules)
    {
        var input = new LifecycleInput
        {
            Attempt = attempt,
            Trigger = Trigger,
            Now = now,
            Rules = rules,
            WaitUntil = WaitUntil,
            ProviderKnown = provider is not null,
            CanVoid = provider?.Capabilities.Cancel ?? false,
            CanCapture = provider?.Capabilities.Capture ?? false,
            HasFreshReturn = FreshReturn is not null,
            View = View,
            Void = Void,
            Session = Session,
            Capture = Capture,
            KeptReturnRejected = KeptReturnRejected,
        };
        Session = SessionAnswer.NotAsked;
        return input;
    }
}
