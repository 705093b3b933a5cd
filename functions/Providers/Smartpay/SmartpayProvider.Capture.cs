using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.Smartpay;

public sealed partial class SmartpayProvider
{
    /// <summary>
    /// Manual capture when the checkout session was created with it: the attempt's provider data says so from its
    /// creation on. Only an attempt created before that was recorded falls back to today's setting.
    /// </summary>
    private bool ManualCaptureOf(IReadOnlyDictionary<string, string> providerData) =>
        providerData.TryGetValue(CaptureMethodKey, out var method) && !string.IsNullOrWhiteSpace(method)
            ? string.Equals(method.Trim(), SmartpayCaptureMethods.Manual, StringComparison.OrdinalIgnoreCase)
            : options.CurrentValue.ManualCapture;

    /// <summary>
    /// Captures an authorised (<c>requires_capture</c>) order: <c>POST /payments</c> with the order, the whole amount
    /// of Snipcart's session in yen, <c>reference</c> and <c>Idempotency-Key</c> = our capture id, so a retry within
    /// Smartpay's six hours answers the first payment. A refusal (<c>order.cannot-capture</c>: expired, cancelled, or
    /// captured already; <c>payment.excessive-amount</c>) is thrown as a rejection, unless the order turns out to be
    /// captured already (a retry after the six hours, or a capture in Smartpay's dashboard): then it is done.
    /// </summary>
    public async Task<ProviderCapture> CaptureAsync(ProviderCaptureRequest request, CancellationToken cancellationToken = default)
    {
        var orderId = request.ProviderData.TryGetValue(OrderIdKey, out var kept) && kept.Length > 0 ? kept : request.ProviderPaymentId;
        var body = new SmartpayPaymentCreate(orderId, request.Amount.ToMinorUnits(), request.Amount.Currency.ToUpperInvariant(), "automatic", request.CaptureRef);
        SmartpayPayment payment;
        try
        {
            payment = await client.PostAsync<SmartpayPayment>(request.Mode, "/payments", body, request.CaptureRef, cancellationToken);
        }
        catch (SmartpayException refused) when (refused.IsRejection)
        {
            if (await CapturedAlreadyAsync(request.Mode, orderId, request.CaptureRef, cancellationToken) is { } captured)
            {
                return captured;
            }
            throw;
        }
        if (payment.Order is { Length: > 0 } paidOrder && paidOrder != orderId)
        {
            throw new SmartpayException($"Smartpay answered a capture of order {orderId} with a payment of order {paidOrder}.");
        }
        return Captured(payment, orderId);
    }

    /// <summary>A succeeded order after a refused capture: our payment (by reference) or, failing that, the order's
    /// last. Null when the order is not captured, or could not be read (the refusal then stands).</summary>
    private async Task<ProviderCapture?> CapturedAlreadyAsync(PaymentMode mode, string orderId, string captureRef, CancellationToken cancellationToken)
    {
        try
        {
            var order = await client.GetAsync<SmartpayOrder>(mode, "/orders/" + Uri.EscapeDataString(orderId), cancellationToken);
            if (order.Status != SmartpayOrderStatus.Succeeded || order.PaymentIds.Count == 0)
            {
                return null;
            }
            foreach (var id in order.PaymentIds)
            {
                var payment = await client.GetAsync<SmartpayPayment>(mode, "/payments/" + Uri.EscapeDataString(id), cancellationToken);
                if (payment.Reference == captureRef)
                {
                    return Captured(payment, orderId);
                }
            }
            return Captured(new SmartpayPayment(order.PaymentIds[^1], orderId, null, null, "processed", null), orderId);
        }
        catch (SmartpayException)
        {
            return null;
        }
    }

    /// <summary>A payment is money taken (<c>processed</c>, or <c>refunded</c> since); another word is not known yet.</summary>
    private static ProviderCapture Captured(SmartpayPayment payment, string orderId)
    {
        var data = new Dictionary<string, string> { [OrderIdKey] = orderId };
        if (payment.Id is { Length: > 0 } id)
        {
            data[PaymentIdKey] = id;
        }
        return new ProviderCapture
        {
            Status = payment.Status is "processed" or "refunded" ? CaptureStatus.Succeeded : CaptureStatus.Pending,
            ProviderCaptureId = payment.Id,
            ProviderData = data,
        };
    }
}
