using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// SmartPay's payment statuses (https://documentation.jpmmps.com/docs/smartpay/payment-status-model), spelled as the
/// API sends them: <c>AUTORIZATION_INITIALIZED</c> is the docs' own spelling. The failure words are not on the part of
/// the status model we could read: they are the ones SmartPay's naming scheme makes likely (see
/// docs/providers/jpmsmartpay.md); any other word is <see cref="JpmSmartPayStatus.Unknown"/>, which stays pending.
/// </summary>
public enum JpmSmartPayStatus
{
    Unknown,
    Created,
    AuthorizationInitialized,
    AuthorizationPending,
    AuthorizationCompleted,
    CapturePending,
    Captured,
    Settled,
    AuthorizationFailed,
    CaptureFailed,
    Declined,
    Expired,
    Failed,
    Cancelled,
}

public static class JpmSmartPayStatuses
{
    public static JpmSmartPayStatus Parse(string? wire) => wire?.Trim().ToUpperInvariant() switch
    {
        "CREATED" => JpmSmartPayStatus.Created,
        // The docs spell it without the H; the corrected spelling is accepted too, should they ever fix it.
        "AUTORIZATION_INITIALIZED" or "AUTHORIZATION_INITIALIZED" => JpmSmartPayStatus.AuthorizationInitialized,
        "AUTHORIZATION_PENDING" => JpmSmartPayStatus.AuthorizationPending,
        "AUTHORIZATION_COMPLETED" => JpmSmartPayStatus.AuthorizationCompleted,
        "CAPTURE_PENDING" => JpmSmartPayStatus.CapturePending,
        "CAPTURED" => JpmSmartPayStatus.Captured,
        "SETTLED" => JpmSmartPayStatus.Settled,
        "AUTHORIZATION_FAILED" or "AUTHORIZATION_DECLINED" or "AUTHORIZATION_REJECTED" => JpmSmartPayStatus.AuthorizationFailed,
        "CAPTURE_FAILED" => JpmSmartPayStatus.CaptureFailed,
        "DECLINED" or "REJECTED" => JpmSmartPayStatus.Declined,
        "EXPIRED" => JpmSmartPayStatus.Expired,
        "FAILED" or "ERROR" => JpmSmartPayStatus.Failed,
        "CANCELLED" or "CANCELED" or "AUTHORIZATION_CANCELLED" => JpmSmartPayStatus.Cancelled,
        _ => JpmSmartPayStatus.Unknown,
    };

    /// <summary>
    /// CAPTURED and SETTLED are paid. AUTHORIZATION_COMPLETED is authorised, not paid: the docs' integration journey
    /// says it is what a merchant with auto-capture off (or delayed) sees, and CAPTURED what it sees once "capture API
    /// called"; the money is held until we capture it. CAPTURE_FAILED is a failure (see docs/providers/jpmsmartpay.md:
    /// it is not among the words the docs say to expect, which are to be logged and looked into, and nothing tells
    /// whether its authorisation can still be captured). CREATED is a checkout nobody has paid in yet. The in-between
    /// states are money on its way. Only an explicit failure is final; an unknown word stays pending.
    /// </summary>
    public static PaymentStatus ToPaymentStatus(this JpmSmartPayStatus status) => status switch
    {
        JpmSmartPayStatus.Captured or JpmSmartPayStatus.Settled => PaymentStatus.Paid,
        JpmSmartPayStatus.AuthorizationCompleted => PaymentStatus.Authorized,
        JpmSmartPayStatus.Created => PaymentStatus.AwaitingShopper,
        JpmSmartPayStatus.AuthorizationFailed or JpmSmartPayStatus.CaptureFailed or JpmSmartPayStatus.Declined
            or JpmSmartPayStatus.Expired or JpmSmartPayStatus.Failed => PaymentStatus.Failed,
        JpmSmartPayStatus.Cancelled => PaymentStatus.Canceled,
        _ => PaymentStatus.Pending,
    };

    /// <summary>A short code for a failed payment (the technical detail stays out of what shoppers see).</summary>
    public static string? FailureCode(this JpmSmartPayStatus status) => status switch
    {
        JpmSmartPayStatus.AuthorizationFailed => "authorization_failed",
        JpmSmartPayStatus.CaptureFailed => "capture_failed",
        JpmSmartPayStatus.Declined => "declined",
        JpmSmartPayStatus.Expired => "expired",
        JpmSmartPayStatus.Failed => "failed",
        JpmSmartPayStatus.Cancelled => "cancelled",
        _ => null,
    };
}
