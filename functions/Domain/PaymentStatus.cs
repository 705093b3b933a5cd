namespace SnipcartGateway.Domain;

/// <summary>
/// Our view of a payment at its provider. Each provider maps its own statuses onto this, and anything it does
/// not know maps to <see cref="Pending"/>: only an explicit success or failure is final.
/// </summary>
public enum PaymentStatus
{
    Pending,
    Paid,
    Failed,
    Canceled,
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

    /// <summary>What Snipcart is told for a provider status.</summary>
    public static SnipcartPaymentState ForStatus(PaymentStatus status) => status switch
    {
        PaymentStatus.Paid => SnipcartPaymentState.Processed,
        PaymentStatus.Failed or PaymentStatus.Canceled => SnipcartPaymentState.Failed,
        _ => SnipcartPaymentState.Processing,
    };

    public static bool IsFinal(this SnipcartPaymentState state) => state != SnipcartPaymentState.Processing;
}
