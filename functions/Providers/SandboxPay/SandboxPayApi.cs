using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>
/// Sandbox Pay's API as the gateway's two test-only adapters call it: Sandbox Pay (redirect flow) and Sandbox Widget
/// (widget flow on the same simulator). Everything but creating the payment is the same for both: lookups, cancels,
/// refunds, notifications. <paramref name="providerId"/> and <paramref name="settingsSection"/> name the adapter in errors
/// and messages (Providers__{settingsSection}__...).
/// </summary>
public sealed class SandboxPayApi(IHttpClientFactory httpClients, string httpClientName, string providerId, string settingsSection)
{
    /// <summary>POST /v1/payments, keyed by our payment ref: a retried create returns the same payment.</summary>
    public Task<PaymentBody> CreatePaymentAsync(SandboxPayModeKeys keys, PaymentMode mode, object body, string paymentRef, CancellationToken cancellationToken) =>
        SendAsync<PaymentBody>(HttpMethod.Post, "/v1/payments", keys, mode, body, paymentRef, cancellationToken);

    public async Task<ProviderPayment> GetPaymentAsync(SandboxPayModeKeys keys, ProviderPaymentLookup lookup, CancellationToken cancellationToken)
    {
        var payment = await SendAsync<PaymentBody>(HttpMethod.Get, "/v1/payments/" + Uri.EscapeDataString(lookup.ProviderPaymentId), keys, lookup.Mode, null, null, cancellationToken);
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

    public async Task<ProviderCancellation> CancelAsync(SandboxPayModeKeys keys, ProviderCancelRequest request, CancellationToken cancellationToken)
    {
        // Cancelling is idempotent at Sandbox Pay (a canceled payment cancels again): safe to retry.
        var payment = await SendAsync<PaymentBody>(HttpMethod.Post, "/v1/payments/" + Uri.EscapeDataString(request.ProviderPaymentId) + "/cancel", keys, request.Mode, new { }, null, cancellationToken, idempotent: true);
        return new ProviderCancellation { Canceled = payment.Status == "canceled" };
    }

    public async Task<ProviderRefund> RefundAsync(SandboxPayModeKeys keys, ProviderRefundRequest request, CancellationToken cancellationToken)
    {
        var body = new { payment = request.ProviderPaymentId, amount = request.Amount.Amount };
        var refund = await SendAsync<RefundBody>(HttpMethod.Post, "/v1/refunds", keys, request.Mode, body, request.RefundRef, cancellationToken);
        return ToProviderRefund(refund);
    }

    /// <summary>GET /v1/refunds/{id}: a refund answered "pending" settles later to succeeded or failed.</summary>
    public async Task<ProviderRefund> GetRefundAsync(SandboxPayModeKeys keys, ProviderRefundLookup lookup, CancellationToken cancellationToken)
    {
        var id = lookup.ProviderRefundId ?? throw Error($"never gave an id for refund {lookup.RefundRef}.");
        var refund = await SendAsync<RefundBody>(HttpMethod.Get, "/v1/refunds/" + Uri.EscapeDataString(id), keys, lookup.Mode, null, null, cancellationToken);
        if (refund.Payment is { Length: > 0 } payment && payment != lookup.ProviderPaymentId)
        {
            throw Error($"answered refund {id} as one of another payment.");
        }
        return ToProviderRefund(refund);
    }

    private ProviderRefund ToProviderRefund(RefundBody refund) => new()
    {
        ProviderRefundId = refund.Id ?? throw Error("returned a refund without an id."),
        Status = refund.Status switch
        {
            "succeeded" => RefundStatus.Succeeded,
            "failed" => RefundStatus.Failed,
            _ => RefundStatus.Pending,
        },
        FailureMessage = refund.Status == "failed" ? "Sandbox Pay reports the refund failed." : null,
    };

    /// <summary>Reads a notification whose signature <paramref name="mode"/> verified (see
    /// <see cref="SandboxPayNotificationVerifier"/>): it only says which payment to look up.</summary>
    public ProviderNotification ReadNotification(string body, PaymentMode mode)
    {
        NotificationBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<NotificationBody>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        if (parsed?.Payment?.Id is not { Length: > 0 } paymentId)
        {
            throw new ProviderNotificationRejectedException(providerId, "Sandbox Pay notification has no payment id.");
        }
        return new ProviderNotification
        {
            ProviderPaymentId = paymentId,
            PaymentRef = parsed.Payment.Reference,
            Mode = mode,
            Relevant = parsed.Type == "payment.updated",
        };
    }

    public SandboxPayException Error(string what) => new("Sandbox Pay " + what, providerId: providerId);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, SandboxPayModeKeys settings, PaymentMode mode, object? body, string? idempotencyKey, CancellationToken cancellationToken, bool idempotent = false)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(settings.SecretKey) || settings.BaseUri is not { } baseUri)
        {
            throw new InvalidOperationException($"{providerId} has no {mode.ToWire()} key: set Providers__{settingsSection}__{mode}__SecretKey and __BaseUrl.");
        }
        using var request = new HttpRequestMessage(method, baseUri.AbsoluteUri.TrimEnd('/') + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.SecretKey);
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
            response = await httpClients.CreateClient(httpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new SandboxPayException($"Sandbox Pay could not be reached: {ex.Message}", inner: ex, providerId: providerId);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SandboxPayException("Sandbox Pay did not answer in time.", inner: ex, providerId: providerId);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = TryParse<SandboxPayError>(text);
                throw new SandboxPayException(
                    $"Sandbox Pay answered {(int)response.StatusCode}" + (error?.Detail is { } detail ? ": " + detail : "."),
                    response.StatusCode, error, providerId: providerId);
            }
            return TryParse<T>(text) ?? throw new SandboxPayException("Sandbox Pay answered with unreadable JSON.", response.StatusCode, providerId: providerId);
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

    /// <summary>A payment as Sandbox Pay answers it; <see cref="RedirectUrl"/> for the redirect flow,
    /// <see cref="CheckoutToken"/> for the widget flow.</summary>
    public sealed record PaymentBody(string? Id, string? Status, decimal? Amount, string? Currency, string? Reference, string? RedirectUrl, decimal? RefundedAmount, string? CheckoutToken = null);

    private sealed record RefundBody(string? Id, string? Status, decimal? Amount, string? Payment);

    private sealed record NotificationBody(string? Type, NotificationPayment? Payment);

    private sealed record NotificationPayment(string? Id, string? Status, decimal? Amount, string? Currency, string? Reference);
}
