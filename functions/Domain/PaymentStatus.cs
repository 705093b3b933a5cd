namespace SnipcartGateway.Domain;

/// <summary>
/// Our view of a payment at its provider. Each provider maps its own statuses onto this, and anything it does
/// not know maps to <see cref="Pending"/>: only an explicit success or failure is final.
/// </summary>
public enum PaymentStatus
{
    /// <summary>The provider is processing money the shopper committed (a bank transfer on its way, a payment
    /// under review): Snipcart may be told "processing".</summary>
    Pending,
    Paid,
    Failed,
    Canceled,
    /// <summary>The payment exists at the provider but the shopper has not acted on it (never opened the page,
    /// or left it without choosing). No money is committed, so Snipcart is never told "processing" for it.
    /// Providers map only the statuses they document as "created, nothing done yet" here.</summary>
    AwaitingShopper,
    /// <summary>The provider holds the shopper's money but has not taken it (J.P. Morgan's AUTHORIZATION_COMPLETED with
    /// the merchant's auto-capture off, Smartpay's requires_capture under manual capture). It is captured before
    /// Snipcart is told "processed"; an authorisation is never confirmed as a payment.</summary>
    Authorized,
}

/// <summary>The states Snipcart's create-payment call accepts.</summary>
public enum SnipcartPaymentState
{
    Processing,
    Processed,
    Invalidated,
    Failed,
}

public static class SnipcartPaymentStates
{
    public static string ToWire(this SnipcartPaymentState state) => state switch
    {
        SnipcartPaymentState.Processing => "processing",
        SnipcartPaymentState.Processed => "processed",
        SnipcartPaymentState.Invalidated => "invalidated",
        SnipcartPaymentState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>What Snipcart is told for a provider status; null for a payment the shopper has not acted on.</summary>
    public static SnipcartPaymentState? ForStatus(PaymentStatus status) => status switch
    {
        PaymentStatus.Paid => SnipcartPaymentState.Processed,
        PaymentStatus.Failed or PaymentStatus.Canceled => SnipcartPaymentState.Failed,
        PaymentStatus.AwaitingShopper => null,
        PaymentStatus.Authorized => SnipcartPaymentState.Processing,
        _ => SnipcartPaymentState.Processing,
    };

    public static bool IsFinal(this SnipcartPaymentState state) => state != SnipcartPaymentState.Processing;
}
