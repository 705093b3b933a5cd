using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers;

/// <summary>
/// The port every payment provider implements. Providers are stateless: the gateway owns persistence,
/// idempotency and the conversation with Snipcart. Each provider maps its own statuses onto
/// <see cref="PaymentStatus"/> ("created, the shopper has done nothing yet" to
/// <see cref="PaymentStatus.AwaitingShopper"/>), unknown ones to <see cref="PaymentStatus.Pending"/>, and throws
/// <see cref="ProviderException"/> (or a subclass carrying its own parsed error) when the provider fails.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Stable id used in URLs, settings (Providers__{Id}__...) and records, e.g. "snapplify".</summary>
    string Id { get; }

    /// <summary>Shown to the shopper by Snipcart.</summary>
    string DisplayName { get; }

    ProviderCapabilities Capabilities { get; }

    /// <summary>An icon under the gateway's own site (e.g. "/checkout/icons/x.svg"), or null to show the name.
    /// Snipcart shows the icon or the name, never both.</summary>
    string? IconPath => null;

    /// <summary>Whether this provider is enabled and configured for the mode, currency and billing country.</summary>
    bool Supports(PaymentMode mode, string currency, string? billingCountry);

    Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default);

    /// <summary>Server-to-server: what the provider says of the payment now.</summary>
    Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default);

    /// <summary>Refunds part or all of a paid payment. <see cref="ProviderRefundRequest.RefundRef"/> is the
    /// idempotency key: the same ref twice must refund once.</summary>
    Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default);

    /// <summary>What the provider says of a refund now (one it answered "pending", or one whose answer was lost).
    /// Only called when <see cref="ProviderCapabilities.RefundLookup"/> is true; a read, never a new refund.
    /// Throws <see cref="ProviderException"/> when the provider fails (a 404: it never heard of the refund).</summary>
    Task<ProviderRefund> GetRefundAsync(ProviderRefundLookup lookup, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Id} cannot look a refund up.");

    /// <summary>
    /// Authenticates and reads a notification the provider sent us. Returns which payment it is about; the
    /// gateway then asks the provider server-to-server, so the body's claims are never trusted alone.
    /// Throws <see cref="ProviderNotificationRejectedException"/> for a bad signature or a malformed body.
    /// </summary>
    Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default);

    /// <summary>Voids a payment (or checkout session) the shopper has not paid. Only called when
    /// <see cref="ProviderCapabilities.Cancel"/> is true. A payment that turned out paid must not be voided: the
    /// provider refuses (throw <see cref="ProviderException"/>) and the next lookup says paid.</summary>
    Task<ProviderCancellation> CancelPaymentAsync(ProviderCancelRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Id} cannot cancel a payment.");

    /// <summary>Takes the money of a payment the provider holds authorised (<see cref="PaymentStatus.Authorized"/>), in
    /// full. Only called when <see cref="ProviderCapabilities.Capture"/> is true, and only before Snipcart is told
    /// "processed". Idempotent under <see cref="ProviderCaptureRequest.CaptureRef"/>: a retry never captures twice.
    /// Throws <see cref="ProviderException"/>: a rejection (4xx) when the provider refuses (the authorisation expired,
    /// was voided, or is not capturable), anything else when there was no answer (the capture may have happened).</summary>
    Task<ProviderCapture> CaptureAsync(ProviderCaptureRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Id} cannot capture a payment.");

    /// <summary>When a pending payment is asked about again, and when an unpaid checkout expires.</summary>
    ProviderRhythm Rhythm => ProviderRhythm.Default;

    /// <summary>Origins (scheme://host[:port]) the checkout page's Content-Security-Policy must admit for this
    /// provider's widget (its script, frames and calls), for the modes configured now. Empty for redirect providers.</summary>
    IReadOnlyCollection<string> WidgetOrigins => [];

    /// <summary>How long the notification handler may take before it answers the provider, for a provider that gives up
    /// on a slow answer (Snapplify waits 15 s). Everything the handler does (verify, record, ask the provider, write,
    /// tell Snipcart) runs under it; when it runs out the provider is told to send again (503) and what was recorded is
    /// left to the timer. Null: no budget beyond the calls' own timeouts.</summary>
    TimeSpan? NotificationAnswerBudget => null;

    /// <summary>What a verified notification about a payment we never issued is answered: 200 (acknowledged and
    /// ignored, for providers that retry anything else) or 404, as the provider expects. Nothing changes either way.</summary>
    int UnknownPaymentNotificationStatus => StatusCodes.Status200OK;
}

/// <param name="EchoesAmount">The provider's lookup says what was paid (amount and currency). When it declares so, a
/// lookup without them is "not verified": nothing is confirmed and the attempt is flagged.</param>
/// <param name="EchoesReference">The provider's lookup carries our payment reference (see EchoesAmount).</param>
/// <param name="Cancel">The provider can void an unpaid payment (<see cref="IPaymentProvider.CancelPaymentAsync"/>), and
/// an authorised one that is not captured.</param>
/// <param name="RefundLookup">The provider can say what became of a refund (<see cref="IPaymentProvider.GetRefundAsync"/>).
/// Without it, a refund left pending or unanswered is asked about by repeating the refund under the same idempotency key.</param>
/// <param name="Capture">The provider can capture an authorised payment (<see cref="IPaymentProvider.CaptureAsync"/>).</param>
/// <param name="IdempotencyKeyLifetime">How long the provider deduplicates a write under its idempotency key; null when
/// it does as long as the payment exists (or by our reference). Past it, a refund is never repeated
/// (<see cref="Domain.RefundFollowUpPolicy.KeyMayHaveExpired"/>).</param>
public sealed record ProviderCapabilities(bool Refunds, bool PartialRefunds, bool EchoesAmount = true, bool EchoesReference = true, bool Cancel = false, bool RefundLookup = false, bool Capture = false, TimeSpan? IdempotencyKeyLifetime = null);

public sealed record ProviderPaymentRequest
{
    /// <summary>Our reference: the provider's merchant reference, and the key of the attempt.</summary>
    public required string PaymentRef { get; init; }
    public required PaymentMode Mode { get; init; }
    /// <summary>Always from Snipcart's session, fetched on the server.</summary>
    public required Money Amount { get; init; }
    /// <summary>What the provider shows the shopper about the order (<see cref="OrderDescription.For"/>): the
    /// order's number and products. Display only: never the reference answers are verified against.</summary>
    public required string Description { get; init; }
    /// <summary>Snipcart's invoice number (<see cref="OrderDescription.NumberOf"/>), null when the session has none.</summary>
    public string? OrderNumber { get; init; }
    public required Snipcart.SnipcartInvoice Invoice { get; init; }
    /// <summary>Where the provider sends the shopper back after paying or declining.</summary>
    public required Uri ReturnUrl { get; init; }
    /// <summary>Where the provider sends the shopper who cancels.</summary>
    public required Uri CancelUrl { get; init; }
    /// <summary>Where the provider posts its notifications (webhooks, IPN).</summary>
    public required Uri NotificationUrl { get; init; }
    public string? Language { get; init; }
}

/// <summary>What the shopper's browser must do next.</summary>
public sealed record ProviderPaymentCreated
{
    public required string ProviderPaymentId { get; init; }
    /// <summary>Set for redirect providers.</summary>
    public Uri? RedirectUrl { get; init; }
    /// <summary>Set for widget providers: what the page needs to render the widget (never a secret).</summary>
    public ProviderWidget? Widget { get; init; }
    /// <summary>The provider's own ids and fields to keep on the attempt (see <see cref="ProviderData"/>).</summary>
    public IReadOnlyDictionary<string, string>? ProviderData { get; init; }
    /// <summary>When the provider's checkout expires, when it says; otherwise <see cref="ProviderRhythm.CheckoutLifetime"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed record ProviderPaymentLookup
{
    public required string PaymentRef { get; init; }
    public required PaymentMode Mode { get; init; }
    public required string ProviderPaymentId { get; init; }
    /// <summary>Query parameters of the shopper's return, for providers that need them to validate: those of the
    /// return being handled, else the ones kept from an earlier return (they arrive once). Never trusted: the
    /// provider checks them server-to-server, and throws <see cref="ProviderReturnRejectedException"/> when they
    /// do not describe this payment.</summary>
    public IReadOnlyDictionary<string, string> ReturnParameters { get; init; } = Providers.ProviderData.Empty;
    /// <summary>What the provider's earlier answers left on the attempt.</summary>
    public IReadOnlyDictionary<string, string> ProviderData { get; init; } = Providers.ProviderData.Empty;
    /// <summary>The amount and currency we asked for (for providers whose lookup needs them).</summary>
    public Money? Amount { get; init; }
    /// <summary>True for the last look at an attempt past its <c>ExpiresAt</c>, before the core closes it: a provider
    /// that otherwise asks only when it was given a reason (Snapplify validates only with a token the shopper's return
    /// or a verified notification brought) asks now anyway, so a payment whose return and notifications were all lost
    /// is still seen paid. Providers that ask on every lookup ignore it.</summary>
    public bool FinalCheck { get; init; }
}

public sealed record ProviderPayment
{
    public required string ProviderPaymentId { get; init; }
    public required PaymentStatus Status { get; init; }
    /// <summary>The provider's own status word, kept for support.</summary>
    public required string ProviderStatus { get; init; }
    /// <summary>What the provider says was paid; null when it does not say.</summary>
    public Money? Amount { get; init; }
    /// <summary>Our reference as the provider echoes it; null when it does not echo it.</summary>
    public string? Reference { get; init; }
    /// <summary>The id Snipcart shows as transactionId (defaults to ProviderPaymentId).</summary>
    public string? TransactionId { get; init; }
    public string? FailureCode { get; init; }
    public string? FailureMessage { get; init; }
    /// <summary>Everything refunded on this payment at the provider, however it was asked for (our API or the
    /// provider's dashboard); null when the provider does not say.</summary>
    public Money? RefundedAmount { get; init; }
    /// <summary>Fields to add to (or replace in) the attempt's provider data: ids, the provider's status answer
    /// for support. Kept only after the answer was checked against the attempt.</summary>
    public IReadOnlyDictionary<string, string>? ProviderData { get; init; }
}

public sealed record ProviderRefundRequest
{
    public required string PaymentRef { get; init; }
    /// <summary>Our refund id, and the provider's idempotency key where it has one.</summary>
    public required string RefundRef { get; init; }
    public required PaymentMode Mode { get; init; }
    public required string ProviderPaymentId { get; init; }
    public required Money Amount { get; init; }
    /// <summary>The whole payment, for providers that need it (full vs partial refund).</summary>
    public required Money PaymentAmount { get; init; }
    /// <summary>The attempt's provider data: the payment id a provider refunds by, when it is not the id it created.</summary>
    public IReadOnlyDictionary<string, string> ProviderData { get; init; } = Providers.ProviderData.Empty;
    public string? TransactionId { get; init; }
}

/// <summary>A refund to look up: ours (<see cref="RefundRef"/>, the idempotency key it was asked under) and the
/// provider's id for it when its answer gave one.</summary>
public sealed record ProviderRefundLookup
{
    public required string PaymentRef { get; init; }
    public required string RefundRef { get; init; }
    public required PaymentMode Mode { get; init; }
    public required string ProviderPaymentId { get; init; }
    /// <summary>Null when the provider never answered the refund.</summary>
    public string? ProviderRefundId { get; init; }
    public required Money Amount { get; init; }
    public IReadOnlyDictionary<string, string> ProviderData { get; init; } = Providers.ProviderData.Empty;
}

public sealed record ProviderCancelRequest
{
    public required string PaymentRef { get; init; }
    public required PaymentMode Mode { get; init; }
    public required string ProviderPaymentId { get; init; }
    public required Money Amount { get; init; }
    public IReadOnlyDictionary<string, string> ProviderData { get; init; } = Providers.ProviderData.Empty;
}

public sealed record ProviderCancellation
{
    /// <summary>False when the provider says there was nothing left to cancel (already expired or closed).</summary>
    public bool Canceled { get; init; } = true;
    public IReadOnlyDictionary<string, string>? ProviderData { get; init; }
}

public sealed record ProviderCaptureRequest
{
    public required string PaymentRef { get; init; }
    /// <summary>Our capture id: the provider's idempotency key (J.P. Morgan's modificationId, Smartpay's
    /// Idempotency-Key and reference).</summary>
    public required string CaptureRef { get; init; }
    public required PaymentMode Mode { get; init; }
    public required string ProviderPaymentId { get; init; }
    /// <summary>The whole amount of the payment (from Snipcart's session).</summary>
    public required Money Amount { get; init; }
    public IReadOnlyDictionary<string, string> ProviderData { get; init; } = Providers.ProviderData.Empty;
    public string? TransactionId { get; init; }
}

public enum CaptureStatus
{
    /// <summary>Accepted, not settled yet: the next lookup says captured (paid) or not.</summary>
    Pending,
    Succeeded,
    Failed,
}

public sealed record ProviderCapture
{
    public required CaptureStatus Status { get; init; }
    public string? ProviderCaptureId { get; init; }
    public string? FailureMessage { get; init; }
    public IReadOnlyDictionary<string, string>? ProviderData { get; init; }
}

public enum RefundStatus
{
    Pending,
    Succeeded,
    Failed,
}

public sealed record ProviderRefund
{
    public required string ProviderRefundId { get; init; }
    public required RefundStatus Status { get; init; }
    public string? FailureMessage { get; init; }
}

public sealed record ProviderNotificationRequest
{
    public required string Body { get; init; }
    /// <summary>Header names are compared without case.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public IReadOnlyDictionary<string, string> Query { get; init; } = Providers.ProviderData.Empty;
    /// <summary>The mode the notification URL names (<c>?mode=test|live</c>, which the gateway adds to every URL it
    /// gives a provider). Null when absent: verify against each configured mode and report the one that verifies.</summary>
    public PaymentMode? Mode { get; init; }
}

public sealed record ProviderNotification
{
    /// <summary>Our payment reference when the notification carries it.</summary>
    public string? PaymentRef { get; init; }
    public string? ProviderPaymentId { get; init; }
    /// <summary>The mode whose credentials verified the notification. A notification verified for one mode never
    /// touches an attempt of the other; null only for providers whose notification credentials are the same in both.</summary>
    public PaymentMode? Mode { get; init; }
    /// <summary>False for events the gateway has nothing to do with (acknowledged, then ignored).</summary>
    public bool Relevant { get; init; } = true;
    /// <summary>Ids the notification carries, kept on the attempt (e.g. Smartpay's payment id beside its order id).</summary>
    public IReadOnlyDictionary<string, string>? ProviderData { get; init; }
    /// <summary>Money moved outside the normal flow (a refund made in the provider's dashboard, a chargeback, a
    /// cancellation): recorded on the attempt and flagged for the merchant. The body is not trusted for the
    /// payment's status, only for this note; the code is short ("chargeback").</summary>
    public string? Attention { get; init; }
}
