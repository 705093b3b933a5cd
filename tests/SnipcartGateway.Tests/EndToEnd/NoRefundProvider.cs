using SnipcartGateway.Domain;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>A provider without a refund API (as Snapplify Pay is): Sandbox Pay with refunds switched off.</summary>
internal sealed class NoRefundProvider(IPaymentProvider inner) : IPaymentProvider
{
    public const string ProviderId = "norefundpay";

    public string Id => ProviderId;
    public string DisplayName => "No-Refund Pay (test only)";
    public ProviderCapabilities Capabilities { get; } = new(Refunds: false, PartialRefunds: false);
    public bool Supports(PaymentMode mode, string currency, string? billingCountry) => inner.Supports(mode, currency, billingCountry);
    public Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default) => inner.CreatePaymentAsync(request, cancellationToken);
    public Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default) => inner.GetPaymentAsync(lookup, cancellationToken);
    public Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default) => throw new InvalidOperationException("This provider has no refund API.");
    public Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default) => inner.ParseNotificationAsync(notification, cancellationToken);
}
