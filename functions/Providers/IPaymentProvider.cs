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

    /// <summary>
    /// Authenticates and reads a notification the provider sent us. Returns which payment it is about; the
    /// gateway then asks the provider server-to-server, so the body's claims are never trusted alone.
    /// Throws <see cref="ProviderNotificationRejectedException"/> for a bad signature or a malformed body.
    /// </summary>
    Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default);
}

/// <param name="EchoesAmount">The provider's lookup says what was paid (amount and currency). When it declares so, a
/// lookup without them is "not verified": nothing is confirmed and the attempt is flagged.</param>
/// <param name="EchoesReference">The provider's lookup carries our payment reference (see EchoesAmount).</param>
public sealed record ProviderCapabilities(bool Refunds, bool PartialRefunds, bool EchoesAmount = true, bool EchoesReference = true);

public sealed record ProviderPaymentRequest
{
    /// <summary>Our reference: the provider's merchant reference, and the key of the attempt.</summary>
    public required string PaymentRef { get; init; }
    public required PaymentMode Mode { get; init; }
    /// <summary>Always from Snipcart's session, fetched on the server.</summary>
    public required Money Amount { get; init; }
    public required string Description { get; init; }
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
    public IReadOnlyDictionary<string, string>? Widget { get; init; }
}

public sealed record ProviderPaymentLookup
{
    public required string PaymentRef { get; init; }
    public required PaymentMode Mode { get; init; }
    public required string ProviderPaymentId { get; init; }
    /// <summary>Query parameters of the shopper's return, for providers that need them to validate.</summary>
    public IReadOnlyDictionary<string, string> ReturnParameters { get; init; } = new Dictionary<string, string>();
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
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
}

public sealed record ProviderNotification
{
    /// <summary>Our payment reference when the notification carries it.</summary>
    public string? PaymentRef { get; init; }
    public string? ProviderPaymentId { get; init; }
    /// <summary>The event's mode where the notification says (Smartpay's "test" flag).</summary>
    public PaymentMode? Mode { get; init; }
    /// <summary>False for events the gateway has nothing to do with (acknowledged, then ignored).</summary>
    public bool Relevant { get; init; } = true;
}
