namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>The failure codes the lifecycle leaves on an attempt. Those that flag it (NeedsAttention) are what a
/// person finds on the attempt; the README's Support section says what to do with each.</summary>
public static class FlagCodes
{
    /// <summary>Money committed at the provider and still not settled after AbandonAfter.</summary>
    public const string PendingTooLong = "pending_too_long";
    /// <summary>The provider refused to void an expired checkout that its lookup still reports unpaid.</summary>
    public const string VoidRefused = "void_refused";
    /// <summary>Money pending on an attempt whose session another attempt already paid.</summary>
    public const string PendingOnPaidSession = "pending_on_paid_session";
    /// <summary>Paid, but the session was already paid by another attempt.</summary>
    public const string DuplicatePayment = "duplicate_payment";
    /// <summary>Paid after it was given up: confirmed late.</summary>
    public const string PaidAfterAbandoned = "paid_after_abandoned";
    /// <summary>The provider refused to tell the status for longer than AbandonAfter.</summary>
    public const string ProviderLookupRefused = "provider_lookup_refused";
    /// <summary>Closed because the provider is no longer configured.</summary>
    public const string ProviderRemoved = "provider_removed";
    /// <summary>Closed because the provider never created the payment.</summary>
    public const string NeverCreated = "never_created";
    /// <summary>Paid at the provider, but amount, currency or reference differ, or it was refunded in full before
    /// it was confirmed.</summary>
    public const string PaymentMismatch = PaymentVerification.MismatchCode;
    /// <summary>Money to give back, and the provider has no refund API: a person refunds it in the provider's dashboard.</summary>
    public const string RefundByHand = "refund_by_hand";
    /// <summary>Money to give back, and the provider refused the refund: a person must give it back.</summary>
    public const string RefundRefused = "refund_refused";
    /// <summary>The provider refused to capture an authorisation (it expired, say): voided where it could be, and failed.</summary>
    public const string CaptureFailed = "capture_failed";
    public const string PaymentDeclined = "payment_declined";
    public const string PaymentCanceled = "payment_canceled";
    /// <summary>Paid, and Snipcart could not be told through MaxReconcileFailures checks in a row.</summary>
    public const string ConfirmationOverdue = "confirmation_overdue";
    /// <summary>Money pending, and the provider did not answer MaxReconcileFailures checks in a row.</summary>
    public const string ReconcileNoAnswer = "reconcile_no_answer";
    /// <summary>Nothing at stake, and nobody answered MaxReconcileFailures checks in a row: given up.</summary>
    public const string ReconcileGaveUp = "reconcile_gave_up";
}
