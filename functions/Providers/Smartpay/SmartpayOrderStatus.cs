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
    /// Only <c>succeeded</c> is paid, and <c>requires_capture</c> when the merchant captures manually (authorised:
    /// the Magento plugin treats it so); under automatic capture it is the moment before Smartpay captures, so pending.
    /// <c>requires_authorization</c> is a created order the shopper has not (successfully) confirmed: no money is
    /// committed. Anything unknown stays pending.
    /// </summary>
    public static PaymentStatus ToPaymentStatus(string? status, bool manualCapture) => status switch
    {
        Succeeded => PaymentStatus.Paid,
        RequiresCapture => manualCapture ? PaymentStatus.Paid : PaymentStatus.Pending,
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
