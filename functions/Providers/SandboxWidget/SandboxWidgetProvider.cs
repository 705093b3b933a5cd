using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.SandboxPay;

namespace SnipcartGateway.Providers.SandboxWidget;

/// <summary>
/// The TEST-ONLY widget provider: Sandbox Pay's simulator in its widget flow. Creating the payment returns a checkout
/// token instead of a redirect; the checkout page loads the simulator's script (widget.js), which renders Pay / Fail /
/// Time out inside our page and calls back. It proves the widget path (<see cref="ProviderWidget"/>,
/// <see cref="IPaymentProvider.WidgetOrigins"/>, the page's renderer, the CSP) for real widget providers such as
/// J.P. Morgan SmartPay. Lookups, cancels, refunds and notifications are Sandbox Pay's (<see cref="SandboxPayApi"/>): the
/// widget's callbacks confirm nothing, the server asks the simulator.
/// </summary>
public sealed class SandboxWidgetProvider(IHttpClientFactory httpClients, IOptionsMonitor<SandboxWidgetOptions> options, TimeProvider clock)
    : IPaymentProvider
{
    public const string ProviderId = "sandboxwidget";
    public const string HttpClientName = "sandboxwidget";
    /// <summary>The page's renderer for this provider: checkout-page/widgets/sandboxwidget.js.</summary>
    public const string WidgetKind = "sandboxwidget";

    private readonly SandboxPayApi _api = new(httpClients, HttpClientName, ProviderId, SandboxWidgetOptions.Section);

    public string Id => ProviderId;

    public string DisplayName => "Sandbox Widget (test only)";

    /// <summary>A wordmark under the checkout page's files: the methods list shows it instead of the name.</summary>
    public string? IconPath => "/checkout/icons/providers/" + ProviderId + ".svg";

    public ProviderCapabilities Capabilities { get; } = new(Refunds: true, PartialRefunds: true, Cancel: true, RefundLookup: true);

    public bool Supports(PaymentMode mode, string currency, string? billingCountry) =>
        options.CurrentValue.Supports(mode, currency, billingCountry);

    /// <summary>The script's origin, for each mode offered now (Live never is: start-up refuses it).</summary>
    public IReadOnlyCollection<string> WidgetOrigins =>
        new[] { PaymentMode.Test, PaymentMode.Live }
            .Where(options.CurrentValue.Offers)
            .Select(mode => options.CurrentValue.For(mode).WidgetScriptUri)
            .OfType<Uri>()
            .Select(ProviderWidget.OriginOf)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    public async Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default)
    {
        var keys = options.CurrentValue.For(request.Mode);
        var scriptUrl = keys.WidgetScriptUri
            ?? throw new InvalidOperationException($"Sandbox Widget has no {request.Mode.ToWire()} widget script: set Providers__SandboxWidget__{request.Mode}__BaseUrl or __WidgetScriptUrl.");
        var body = new
        {
            flow = "widget",
            amount = request.Amount.Amount,
            currency = request.Amount.Currency,
            reference = request.PaymentRef,
            description = request.Description,
            notificationUrl = request.NotificationUrl.AbsoluteUri,
        };
        var created = await _api.CreatePaymentAsync(keys, request.Mode, body, request.PaymentRef, cancellationToken);
        var id = created.Id ?? throw _api.Error("returned a payment without an id.");
        var token = created.CheckoutToken is { Length: > 0 } t ? t : throw _api.Error("returned no checkoutToken for a widget payment.");
        return new ProviderPaymentCreated
        {
            ProviderPaymentId = id,
            // Opaque values for the page's renderer (widgets/sandboxwidget.js); none of them is a secret.
            Widget = new ProviderWidget(WidgetKind, scriptUrl, new Dictionary<string, string>
            {
                ["checkoutToken"] = token,
                ["transactionId"] = id,
            }),
            ProviderData = new Dictionary<string, string> { ["paymentId"] = id, ["checkoutToken"] = token },
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
