using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>Smartpay's order statuses (docs "the order object"; sdk-go, sdk-node and sdk-php constants).</summary>
public static class SmartpayOrderStatus
{
    public const string RequiresAuthorization = "requires_authorization";
    public const string RequiresCapture = "requires_capture";
    public const string Succeeded = "succeeded";
    public const string Rejected = "rejected";
    public const string Canceled = "canceled";
    public const string Failed = "failed";
    public const string Pending = "pending";

    /// <summary>
    /// Only <c>succeeded</c> is paid. <c>requires_capture</c> ("authorised with amount still capturable", the docs) is
    /// <see cref="PaymentStatus.Authorized"/> when the order was created with manual capture (the Magento plugin treats
    /// it as authorised): the gateway captures it before Snipcart hears "processed". Under automatic capture it is the
    /// moment before Smartpay captures by itself, so pending.
    /// <c>requires_authorization</c> is a created order the shopper has not (successfully) confirmed: no money is
    /// committed. Anything unknown stays pending.
    /// </summary>
    public static PaymentStatus ToPaymentStatus(string? status, bool manualCapture) => status switch
    {
        Succeeded => PaymentStatus.Paid,
        RequiresCapture => manualCapture ? PaymentStatus.Authorized : PaymentStatus.Pending,
        Rejected or Canceled or Failed => PaymentStatus.Failed,
        RequiresAuthorization => PaymentStatus.AwaitingShopper,
        _ => PaymentStatus.Pending,
    };

    public static (string Code, string Message)? Failure(string? status) => status switch
    {
        Rejected => ("smartpay_rejected", "Smartpay did not approve the payment."),
        Canceled => ("smartpay_canceled", "The Smartpay order was cancelled."),
        Failed => ("smartpay_failed", "The Smartpay payment failed."),
        _ => null,
    };
}
