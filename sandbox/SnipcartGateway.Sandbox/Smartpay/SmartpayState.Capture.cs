namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>
/// Capture in the simulated Smartpay. What the docs and SDKs say: an order created with <c>captureMethod: manual</c>
/// is <c>requires_capture</c> once approved, "authorised with amount still capturable", until <c>POST /payments</c>
/// (deduplicated by <c>Idempotency-Key</c>, a refusal included); the order's <c>expiresAt</c> is set at authorisation
/// and "capture is impossible after it"; refusals are <c>order.cannot-capture</c> and <c>payment.excessive-amount</c>.
/// What they do not say, and is a switch here: how long the authorisation lasts
/// (<see cref="SmartpaySimulatorOptions.AuthorizationLifetime"/>, or <see cref="ExpireAuthorization"/>), and the
/// status after it lapsed (it stays <c>requires_capture</c>, so the order can still be cancelled).
/// </summary>
public sealed partial class SmartpayState
{
    /// <summary>An order set to requires_capture by the test hook has no expiresAt: it lapses a lifetime after that.</summary>
    private bool AuthorizationLapsed(SmartpaySimOrder order) =>
        (order.AuthorizationExpiresAt ?? order.UpdatedAt + Options.AuthorizationLifetime) <= Now;

    /// <summary>Test hook: the order's authorisation lapses now (<c>expiresAt</c> = now; its status does not change).</summary>
    public SmartpaySimOrder? ExpireAuthorization(string orderId)
    {
        lock (_gate)
        {
            return _orders.TryGetValue(orderId, out var order) ? _orders[orderId] = order with { AuthorizationExpiresAt = Now } : null;
        }
    }

    /// <summary>Payments (captures) the order has; a replayed Idempotency-Key adds none.</summary>
    public int Captures(string orderId) => GetOrder(orderId)?.PaymentIds.Count ?? 0;
}

internal static class SmartpayCaptureHooks
{
    /// <summary>Test hook (not Smartpay's API, no key): POST /smartpay/test/orders/{id}/expire-authorization.</summary>
    public static IEndpointRouteBuilder MapSmartpayCaptureHooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/smartpay/test/orders/{id}/expire-authorization", (string id, SmartpayState state) =>
            state.ExpireAuthorization(id) is { } order ? Results.Json(SmartpaySimViews.Order(order)) : Results.NotFound());
        return app;
    }
}
