using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>
/// The gateway's adapter for Sandbox Pay, the TEST-ONLY provider the sandbox simulates. Written the way an
/// adapter for a real redirect provider is: stateless, idempotency keys on every write, signed notifications
/// that only say which payment to look up. Never part of what users deploy. The calls themselves are in
/// <see cref="SandboxPayApi"/>, shared with Sandbox Widget.
/// </summary>
public sealed class SandboxPayProvider(IHttpClientFactory httpClients, IOptionsMonitor<SandboxPayOptions> options, TimeProvider clock)
    : IPaymentProvider
{
    public const string ProviderId = "sandboxpay";
    public const string HttpClientName = "sandboxpay";

    private readonly SandboxPayApi _api = new(httpClients, HttpClientName, ProviderId, SandboxPayOptions.Section);

    public string Id => ProviderId;

    public string DisplayName => "Sandbox Pay (test only)";

    /// <summary>A wordmark under the checkout page's files: the methods list shows it instead of the name.</summary>
    public string? IconPath => "/checkout/icons/providers/" + ProviderId + ".svg";

    public ProviderCapabilities Capabilities { get; } = new(Refunds: true, PartialRefunds: true, Cancel: true, RefundLookup: true);

    public bool Supports(PaymentMode mode, string currency, string? billingCountry) =>
        options.CurrentValue.Supports(mode, currency, billingCountry);

    public async Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default)
    {
        var body = new
        {
            amount = request.Amount.Amount,
            currency = request.Amount.Currency,
            reference = request.PaymentRef,
            description = request.Description,
            returnUrl = request.ReturnUrl.AbsoluteUri,
            cancelUrl = request.CancelUrl.AbsoluteUri,
            notificationUrl = request.NotificationUrl.AbsoluteUri,
        };
        var created = await _api.CreatePaymentAsync(options.CurrentValue.For(request.Mode), request.Mode, body, request.PaymentRef, cancellationToken);
        return new ProviderPaymentCreated
        {
            ProviderPaymentId = created.Id ?? throw _api.Error("returned a payment without an id."),
            RedirectUrl = Uri.TryCreate(created.RedirectUrl, UriKind.Absolute, out var redirect)
                ? redirect
                : throw _api.Error("returned no usable redirectUrl."),
            ProviderData = new Dictionary<string, string> { ["paymentId"] = created.Id },
        };
    }

    public Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default) =>
        _api.GetPaymentAsync(options.CurrentValue.For(lookup.Mode), lookup, cancellationToken);

    public Task<ProviderCancellation> CancelPaymentAsync(ProviderCancelRequest request, CancellationToken cancellationToken = default) =>
        _api.CancelAsync(options.CurrentValue.For(request.Mode), request, cancellationToken);

    public Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default) =>
        _api.RefundAsync(options.CurrentValue.For(request.Mode), request, cancellationToken);

    public Task<ProviderRefund> GetRefundAsync(ProviderRefundLookup lookup, CancellationToken cancellationToken = default) =>
        _api.GetRefundAsync(options.CurrentValue.For(lookup.Mode), lookup, cancellationToken);

    public Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default)
    {
        var mode = SandboxPayNotificationVerifier.Verify(notification.Body, notification.Headers, options.CurrentValue, clock.GetUtcNow(), ProviderId);
        return Task.FromResult(_api.ReadNotification(notification.Body, mode));
    }
}
