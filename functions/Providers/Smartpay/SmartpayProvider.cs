using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// Smartpay (smartpay.co), the Japanese buy-now-pay-later, as a redirect provider: a checkout session is created on
/// the server and the shopper is sent to its <c>url</c>; the order it creates (<c>order.id</c>, our
/// ProviderPaymentId) is what we ask about. Statuses, refunds and webhooks as Smartpay's official SDKs use them
/// (see docs/providers/smartpay.md for sources and what was inferred).
/// </summary>
public sealed partial class SmartpayProvider(SmartpayClient client, IOptionsMonitor<SmartpayOptions> options, TimeProvider clock, ILogger<SmartpayProvider> logger)
    : IPaymentProvider
{
    public const string ProviderId = "smartpay";

    /// <summary>Keys of the attempt's provider data.</summary>
    public const string SessionIdKey = "sessionId";
    public const string OrderIdKey = "orderId";
    public const string PaymentIdKey = "paymentId";
    public const string PaymentIdsKey = "paymentIds";
    public const string OrderStatusKey = "orderStatus";
    /// <summary>The captureMethod the checkout session was created with (automatic | manual).</summary>
    public const string CaptureMethodKey = "captureMethod";

    public string Id => ProviderId;

    public string DisplayName => "Smartpay";

    /// <summary>A wordmark under the checkout page's files: the methods list shows it instead of the name.</summary>
    public string? IconPath => "/checkout/icons/providers/" + ProviderId + ".svg";

    /// <summary>Smartpay keeps an <c>Idempotency-Key</c> for six hours (its idempotent-requests docs).</summary>
    public static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromHours(6);

    public ProviderCapabilities Capabilities { get; } = new(Refunds: true, PartialRefunds: true, EchoesAmount: true, EchoesReference: true, Cancel: true, RefundLookup: true, Capture: true, IdempotencyKeyLifetime: IdempotencyKeyLifetime);

    public bool Supports(PaymentMode mode, string currency, string? billingCountry) =>
        options.CurrentValue.Supports(mode, currency, billingCountry);

    public async Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default)
    {
        var captureMethod = options.CurrentValue.ManualCapture ? SmartpayCaptureMethods.Manual : SmartpayCaptureMethods.Automatic;
        var body = SmartpayCheckoutSessionBuilder.Build(request, captureMethod);
        // Our payment reference as the idempotency key: a retried create answers the same session, never a second one.
        var session = await client.PostAsync<SmartpayCheckoutSession>(request.Mode, "/checkout-sessions", body, request.PaymentRef, cancellationToken);
        if (session.Order?.Id is not { Length: > 0 } orderId)
        {
            throw new SmartpayException("Smartpay answered a checkout session without its order id.");
        }
        if (!Uri.TryCreate(session.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new SmartpayException("Smartpay answered a checkout session without a usable url.");
        }
        if (session.Reference is { } reference && reference != request.PaymentRef)
        {
            throw new SmartpayException("Smartpay answered a checkout session for another reference.");
        }
        var data = new Dictionary<string, string> { [OrderIdKey] = orderId, [CaptureMethodKey] = captureMethod };
        if (session.Id is { Length: > 0 } sessionId)
        {
            data[SessionIdKey] = sessionId;
        }
        return new ProviderPaymentCreated
        {
            ProviderPaymentId = orderId,
            RedirectUrl = url,
            ProviderData = data,
            ExpiresAt = session.ExpiresAt is { } expires and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(expires) : null,
        };
    }

    public async Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default)
    {
        var order = await client.GetAsync<SmartpayOrder>(lookup.Mode, "/orders/" + Uri.EscapeDataString(lookup.ProviderPaymentId), cancellationToken);
        var status = SmartpayOrderStatus.ToPaymentStatus(order.Status, ManualCaptureOf(lookup.ProviderData));
        var failure = SmartpayOrderStatus.Failure(order.Status);
        var data = new Dictionary<string, string>
        {
            [OrderIdKey] = order.Id ?? lookup.ProviderPaymentId,
            [OrderStatusKey] = order.Status ?? "",
        };
        var payments = order.PaymentIds;
        if (payments.Count > 0)
        {
            data[PaymentIdKey] = payments[^1];
            data[PaymentIdsKey] = string.Join(",", payments);
        }
        return new ProviderPayment
        {
            ProviderPaymentId = order.Id ?? lookup.ProviderPaymentId,
            Status = status,
            ProviderStatus = order.Status ?? "",
            Amount = order.Amount is { } amount && CurrencyCodes.IsValid(order.Currency) ? Money.FromMinorUnits(amount, order.Currency!) : null,
            Reference = order.Reference,
            TransactionId = order.Id ?? lookup.ProviderPaymentId,
            FailureCode = failure?.Code,
            FailureMessage = failure?.Message,
            ProviderData = data,
        };
    }

    public async Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default)
    {
        var paymentId = request.ProviderData.TryGetValue(PaymentIdKey, out var kept) && kept.Length > 0
            ? kept
            : await PaymentIdOfOrderAsync(request.Mode, request.ProviderPaymentId, cancellationToken);
        var body = new SmartpayRefundCreate(paymentId, request.Amount.ToMinorUnits(), request.Amount.Currency, "requested_by_customer", request.RefundRef);
        // Our refund id as the idempotency key and reference: the same refund asked twice refunds once.
        var refund = await client.PostAsync<SmartpayRefund>(request.Mode, "/refunds", body, request.RefundRef, cancellationToken);
        return ToProviderRefund(refund);
    }

    /// <summary><c>GET /refunds/{id}</c>: the refund's status now (a refund answered "pending" is asked again until final).</summary>
    public async Task<ProviderRefund> GetRefundAsync(ProviderRefundLookup lookup, CancellationToken cancellationToken = default)
    {
        var id = lookup.ProviderRefundId ?? throw new SmartpayException($"Smartpay never gave an id for refund {lookup.RefundRef}: it is asked again by repeating it.");
        var refund = await client.GetAsync<SmartpayRefund>(lookup.Mode, "/refunds/" + Uri.EscapeDataString(id), cancellationToken);
        if (refund.Reference is { Length: > 0 } reference && reference != lookup.RefundRef)
        {
            throw new SmartpayException($"Smartpay answered refund {id} with another reference than ours.");
        }
        return ToProviderRefund(refund);
    }

    private static ProviderRefund ToProviderRefund(SmartpayRefund refund) => new()
    {
        ProviderRefundId = refund.Id ?? throw new SmartpayException("Smartpay answered a refund without an id."),
        Status = refund.Status switch
        {
            "succeeded" => RefundStatus.Succeeded,
            "failed" => RefundStatus.Failed,
            _ => RefundStatus.Pending,
        },
        FailureMessage = refund.Status == "failed" ? "Smartpay reports the refund failed." : null,
    };

    /// <summary>The order's payment (automatic capture makes one; with several partial captures the latest).</summary>
    private async Task<string> PaymentIdOfOrderAsync(PaymentMode mode, string orderId, CancellationToken cancellationToken)
    {
        var order = await client.GetAsync<SmartpayOrder>(mode, "/orders/" + Uri.EscapeDataString(orderId), cancellationToken);
        // No payment (authorised under manual capture, never captured): Smartpay answered, and there is nothing to
        // refund. A refusal, so the core frees the amount and tells Snipcart so, rather than "no answer" (which keeps
        // the amount reserved and answers every retry 502).
        return order.PaymentIds is { Count: > 0 } ids
            ? ids[^1]
            : throw new SmartpayException($"Smartpay order {orderId} has no payment to refund (status {order.Status}): capture it or cancel the order in Smartpay's dashboard.",
                HttpStatusCode.UnprocessableEntity, new SmartpayError(422, "order.no-payment", $"Smartpay order {orderId} has no captured payment to refund.", null));
    }

    /// <summary>
    /// <c>PUT /orders/{id}/cancellation</c>: voids an order the shopper left (or that expired) so the old checkout
    /// cannot be completed behind our back. Smartpay refuses (4xx) an order that is no longer cancellable (captured,
    /// rejected): the core then looks again and the lookup tells which.
    /// </summary>
    public async Task<ProviderCancellation> CancelPaymentAsync(ProviderCancelRequest request, CancellationToken cancellationToken = default)
    {
        var order = await client.PutAsync<SmartpayOrder>(request.Mode, "/orders/" + Uri.EscapeDataString(request.ProviderPaymentId) + "/cancellation",
            "cancel_" + request.PaymentRef, cancellationToken);
        return new ProviderCancellation
        {
            Canceled = order.Status == SmartpayOrderStatus.Canceled,
            ProviderData = new Dictionary<string, string> { [OrderStatusKey] = order.Status ?? "" },
        };
    }

    public async Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var mode = SmartpayWebhookSignature.Verify(notification.Body, notification.Headers, settings, notification.Mode, clock.GetUtcNow());
        SmartpayEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<SmartpayEvent>(notification.Body, SmartpayClient.Json);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        if (parsed?.EventData?.Type is not { Length: > 0 } type || parsed.EventData.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            throw new ProviderNotificationRejectedException(ProviderId, "Smartpay webhook has no eventData.type or data.");
        }
        if (parsed.Test is { } test && test != (mode == PaymentMode.Test))
        {
            // Signed with one mode's secret but about the other mode's objects: not ours to act on.
            throw new ProviderNotificationRejectedException(ProviderId, $"Smartpay webhook says test={test} but verified with the {mode.ToWire()} secret.");
        }

        string? orderId;
        string? paymentRef = null;
        var ids = new Dictionary<string, string>();
        string? attention = null;
        switch (type)
        {
            case "order.authorized" or "order.rejected" or "order.canceled":
                orderId = Text(data, "id");
                paymentRef = Text(data, "reference");
                break;
            case "payment.created":
                orderId = Text(data, "order");
                if (Text(data, "id") is { } paymentId)
                {
                    ids[PaymentIdKey] = paymentId;
                }
                break;
            case "refund.created":
                // A refund names its payment, not the order: ask Smartpay which order that payment belongs to.
                var refundedPayment = Text(data, "payment");
                if (refundedPayment is null)
                {
                    throw new ProviderNotificationRejectedException(ProviderId, "Smartpay refund.created names no payment.");
                }
                var payment = await client.GetAsync<SmartpayPayment>(mode, "/payments/" + Uri.EscapeDataString(refundedPayment), cancellationToken);
                orderId = payment.Order;
                ids[PaymentIdKey] = refundedPayment;
                if (Text(data, "reference") is var reference && !Guid.TryParse(reference, out _) && !GiveBacks.IsGiveBackRefundId(reference))
                {
                    // Our refunds carry our refund id as reference (a GUID for Snipcart's, gb_<paymentRef> for a
                    // give-back); this one was made elsewhere (the dashboard).
                    attention = "smartpay_refund_outside_gateway";
                }
                break;
            default:
                return new ProviderNotification { Mode = mode, Relevant = false };
        }
        if (orderId is null)
        {
            throw new ProviderNotificationRejectedException(ProviderId, $"Smartpay {type} names no order.");
        }
        ids[OrderIdKey] = orderId;
        logger.LogInformation("Smartpay {Type} for order {OrderId} ({Mode})", type, orderId, mode.ToWire());
        return new ProviderNotification
        {
            Mode = mode,
            PaymentRef = PaymentReferences.IsWellFormedPaymentRef(paymentRef) ? paymentRef : null,
            ProviderPaymentId = orderId,
            ProviderData = ids,
            Attention = attention,
        };
    }

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
