using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.Snapplify;

/// <summary>
/// Snapplify's <c>paymentState</c> words. Its docs list NEW ("has not been charged"), ERROR and COMPLETED; its own
/// WooCommerce plugin branches on PENDING and PAID. No full list is published, so all five are handled, plus the
/// plain words for a decline or a cancellation should they appear; <see cref="Unknown"/> is anything else.
/// </summary>
public enum SnapplifyPaymentState
{
    Unknown,
    New,
    Pending,
    Completed,
    Paid,
    Error,
    Declined,
    Cancelled,
}

public static class SnapplifyPaymentStates
{
    public static SnapplifyPaymentState Parse(string? wire) => wire?.Trim().ToUpperInvariant() switch
    {
        "NEW" => SnapplifyPaymentState.New,
        "PENDING" => SnapplifyPaymentState.Pending,
        "COMPLETED" => SnapplifyPaymentState.Completed,
        "PAID" => SnapplifyPaymentState.Paid,
        "ERROR" => SnapplifyPaymentState.Error,
        "DECLINED" or "FAILED" => SnapplifyPaymentState.Declined,
        "CANCELLED" or "CANCELED" => SnapplifyPaymentState.Cancelled,
        _ => SnapplifyPaymentState.Unknown,
    };

    /// <summary>The states of an ordinary payment's life; an IPN reporting any other word (a refund, a chargeback,
    /// a cancellation) is money moving outside the checkout.</summary>
    public static bool IsCheckoutState(this SnapplifyPaymentState state) =>
        state is SnapplifyPaymentState.New or SnapplifyPaymentState.Pending or SnapplifyPaymentState.Completed
            or SnapplifyPaymentState.Paid or SnapplifyPaymentState.Error or SnapplifyPaymentState.Declined;

    /// <summary>
    /// COMPLETED and PAID are paid; ERROR (how Snapplify reports a declined or failed payment, with errorCode and
    /// errorMessage) is failed. NEW is "created, has not been charged": the shopper has not acted, so it is
    /// <see cref="PaymentStatus.AwaitingShopper"/> (never "processing" at Snipcart; reconciliation finishes it).
    /// PENDING is money on its way (the plugin puts the order on hold). Anything unknown stays pending.
    /// </summary>
    public static PaymentStatus ToPaymentStatus(this SnapplifyPaymentState state) => state switch
    {
        SnapplifyPaymentState.New => PaymentStatus.AwaitingShopper,
        SnapplifyPaymentState.Completed or SnapplifyPaymentState.Paid => PaymentStatus.Paid,
        SnapplifyPaymentState.Error or SnapplifyPaymentState.Declined => PaymentStatus.Failed,
        SnapplifyPaymentState.Cancelled => PaymentStatus.Canceled,
        _ => PaymentStatus.Pending,
    };
}
