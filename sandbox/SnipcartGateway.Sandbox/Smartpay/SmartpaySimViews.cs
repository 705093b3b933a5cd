namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>The JSON shapes Smartpay answers (sdk-go types.go, sdk-node docs/Reference.md); times in epoch ms.</summary>
internal static class SmartpaySimViews
{
    public static object Order(SmartpaySimOrder order) => new
    {
        id = order.Id,
        @object = "order",
        status = order.Status,
        amount = order.Amount,
        currency = order.Currency,
        captureMethod = order.CaptureMethod,
        description = order.Description,
        discountAmount = order.LineItems.Where(i => i.Kind == "discount").Sum(i => i.Amount * i.Quantity),
        lineItems = order.LineItems.Select(i => new { name = i.Name, amount = i.Amount, currency = i.Currency, quantity = i.Quantity, kind = i.Kind }),
        payments = order.PaymentIds,
        reference = order.Reference,
        shippingInfo = order.ShippingInfo,
        metadata = new { },
        test = order.Test,
        createdAt = order.CreatedAt.ToUnixTimeMilliseconds(),
        updatedAt = order.UpdatedAt.ToUnixTimeMilliseconds(),
        expiresAt = order.AuthorizationExpiresAt?.ToUnixTimeMilliseconds(),
    };

    public static object Session(SmartpaySimSession session, SmartpaySimOrder order, string url) => new
    {
        id = session.Id,
        @object = "checkoutSession",
        test = session.Test,
        createdAt = session.CreatedAt.ToUnixTimeMilliseconds(),
        updatedAt = session.CreatedAt.ToUnixTimeMilliseconds(),
        expiresAt = session.ExpiresAt.ToUnixTimeMilliseconds(),
        customerInfo = session.CustomerInfo,
        order = Order(order),
        successUrl = session.SuccessUrl,
        cancelUrl = session.CancelUrl,
        locale = session.Locale,
        reference = session.Reference,
        metadata = new { },
        url,
    };

    public static object Payment(SmartpaySimPayment payment) => new
    {
        id = payment.Id,
        @object = "payment",
        test = payment.Test,
        createdAt = payment.CreatedAt.ToUnixTimeMilliseconds(),
        updatedAt = payment.CreatedAt.ToUnixTimeMilliseconds(),
        amount = payment.Amount,
        currency = payment.Currency,
        order = payment.OrderId,
        reference = payment.Reference,
        status = payment.Status,
        refunds = payment.RefundIds,
        metadata = new { },
    };

    public static object Refund(SmartpaySimRefund refund) => new
    {
        id = refund.Id,
        @object = "refund",
        test = refund.Test,
        createdAt = refund.CreatedAt.ToUnixTimeMilliseconds(),
        updatedAt = refund.CreatedAt.ToUnixTimeMilliseconds(),
        amount = refund.Amount,
        currency = refund.Currency,
        payment = refund.PaymentId,
        reason = refund.Reason,
        reference = refund.Reference,
        status = refund.Status,
        metadata = new { },
    };

    public static object WebhookEndpoint(SmartpaySimWebhookEndpoint endpoint, bool withSecret) => new
    {
        id = endpoint.Id,
        @object = "webhookEndpoint",
        active = endpoint.Active,
        url = endpoint.Url,
        eventSubscriptions = endpoint.EventSubscriptions,
        description = endpoint.Description,
        signingSecret = withSecret ? endpoint.SigningSecret : null,
        metadata = new { },
        test = endpoint.Test,
        createdAt = endpoint.CreatedAt.ToUnixTimeMilliseconds(),
        updatedAt = endpoint.CreatedAt.ToUnixTimeMilliseconds(),
    };

    /// <summary>Smartpay's error shape.</summary>
    public static object Error(int statusCode, string errorCode, string message, IReadOnlyList<string>? details = null) => new
    {
        statusCode,
        errorCode,
        message,
        details = details ?? [],
    };
}
