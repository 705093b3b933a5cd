using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>
/// The gateway's adapter for Sandbox Pay, the TEST-ONLY provider the sandbox simulates. Written the way an
/// adapter for a real redirect provider is: stateless, idempotency keys on every write, signed notifications
/// that only say which payment to look up. Never part of what users deploy.
/// </summary>
public sealed class SandboxPayProvider(IHttpClientFactory httpClients, IOptionsMonitor<SandboxPayOptions> options, TimeProvider clock)
    : IPaymentProvider
{
    public const string ProviderId = "sandboxpay";
    public const string HttpClientName = "sandboxpay";

    public string Id => ProviderId;

    public string DisplayName => "Sandbox Pay (test only)";

    public ProviderCapabilities Capabilities { get; } = new(Refunds: true, PartialRefunds: true, Cancel: true);

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
        // The payment ref as idempotency key: a retried create returns the same payment instead of a second one.
        var created = await SendAsync<PaymentBody>(HttpMethod.Post, "/v1/payments", request.Mode, body, request.PaymentRef, cancellationToken);
        return new ProviderPaymentCreated
        {
            ProviderPaymentId = created.Id ?? throw new SandboxPayException("Sandbox Pay returned a payment without an id."),
            RedirectUrl = Uri.TryCreate(created.RedirectUrl, UriKind.Absolute, out var redirect)
                ? redirect
                : throw new SandboxPayException("Sandbox Pay returned no usable redirectUrl."),
            ProviderData = new Dictionary<string, string> { ["paymentId"] = created.Id },
        };
    }

    public async Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default)
    {
        var payment = await SendAsync<PaymentBody>(HttpMethod.Get, "/v1/payments/" + Uri.EscapeDataString(lookup.ProviderPaymentId), lookup.Mode, null, null, cancellationToken);
        var status = SandboxPayStatuses.Parse(payment.Status);
        return new ProviderPayment
        {
            ProviderPaymentId = payment.Id ?? lookup.ProviderPaymentId,
            Status = status.ToPaymentStatus(),
            ProviderStatus = payment.Status ?? "",
            Amount = payment.Amount is { } amount && CurrencyCodes.IsValid(payment.Currency) ? new Money(amount, payment.Currency!) : null,
            Reference = payment.Reference,
            TransactionId = payment.Id ?? lookup.ProviderPaymentId,
            FailureCode = status == SandboxPayStatus.Declined ? "card_declined" : null,
            FailureMessage = status == SandboxPayStatus.Declined ? "The payment was declined." : null,
            RefundedAmount = payment.RefundedAmount is { } refunded && CurrencyCodes.IsValid(payment.Currency) ? new Money(refunded, payment.Currency!) : null,
            ProviderData = new Dictionary<string, string> { ["status"] = payment.Status ?? "" },
        };
    }

    public async Task<ProviderCancellation> CancelPaymentAsync(ProviderCancelRequest request, CancellationToken cancellationToken = default)
    {
        // Cancelling is idempotent at Sandbox Pay (a canceled payment cancels again): safe to retry.
        var payment = await SendAsync<PaymentBody>(HttpMethod.Post, "/v1/payments/" + Uri.EscapeDataString(request.ProviderPaymentId) + "/cancel", request.Mode, new { }, null, cancellationToken, idempotent: true);
        return new ProviderCancellation { Canceled = payment.Status == "canceled" };
    }

    public async Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default)
    {
        var body = new { payment = request.ProviderPaymentId, amount = request.Amount.Amount };
        var refund = await SendAsync<RefundBody>(HttpMethod.Post, "/v1/refunds", request.Mode, body, request.RefundRef, cancellationToken);
        return new ProviderRefund
        {
            ProviderRefundId = refund.Id ?? throw new SandboxPayException("Sandbox Pay returned a refund without an id."),
            Status = refund.Status switch
            {
                "succeeded" => RefundStatus.Succeeded,
                "failed" => RefundStatus.Failed,
                _ => RefundStatus.Pending,
            },
        };
    }

    public Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default)
    {
        var mode = SandboxPayNotificationVerifier.Verify(notification.Body, notification.Headers, options.CurrentValue, clock.GetUtcNow());
        NotificationBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<NotificationBody>(notification.Body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        if (parsed?.Payment?.Id is not { Length: > 0 } paymentId)
        {
            throw new ProviderNotificationRejectedException(ProviderId, "Sandbox Pay notification has no payment id.");
        }
        return Task.FromResult(new ProviderNotification
        {
            ProviderPaymentId = paymentId,
            PaymentRef = parsed.Payment.Reference,
            Mode = mode,
            Relevant = parsed.Type == "payment.updated",
        });
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, PaymentMode mode, object? body, string? idempotencyKey, CancellationToken cancellationToken, bool idempotent = false)
        where T : class
    {
        var settings = options.CurrentValue.For(mode);
        if (string.IsNullOrWhiteSpace(settings.SecretKey) || settings.BaseUri is not { } baseUri)
        {
            throw new InvalidOperationException($"Sandbox Pay has no {mode.ToWire()} key: set Providers__SandboxPay__{mode}__SecretKey and __BaseUrl.");
        }
        var key = settings.SecretKey;
        using var request = new HttpRequestMessage(method, baseUri.AbsoluteUri.TrimEnd('/') + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        if (idempotent)
        {
            OutboundRequest.MarkIdempotent(request);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: JsonSerializerOptions.Web);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SandboxPayException($"Sandbox Pay could not be reached: {ex.Message}", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SandboxPayException("Sandbox Pay did not answer in time.", inner: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = TryParse<SandboxPayError>(text);
                throw new SandboxPayException(
                    $"Sandbox Pay answered {(int)response.StatusCode}"
                    + (error?.Detail is { } detail ? ": " + detail : "."),
                    response.StatusCode, error);
            }
            return TryParse<T>(text) ?? throw new SandboxPayException("Sandbox Pay answered with unreadable JSON.", response.StatusCode);
        }
    }

    private static T? TryParse<T>(string text) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record PaymentBody(string? Id, string? Status, decimal? Amount, string? Currency, string? Reference, string? RedirectUrl, decimal? RefundedAmount);

    private sealed record RefundBody(string? Id, string? Status, decimal? Amount, string? Payment);

    private sealed record NotificationBody(string? Type, NotificationPayment? Payment);

    private sealed record NotificationPayment(string? Id, string? Status, decimal? Amount, string? Currency, string? Reference);
}
