namespace SnipcartGateway.Domain;

public enum RefundState
{
    /// <summary>Reserved against the payment; the provider has not answered yet.</summary>
    Requested,
    Succeeded,
    Pending,
    Failed,
    /// <summary>The provider has no refund API: recorded for the merchant to refund by hand.</summary>
    ManualRefundRequired,
}

/// <summary>A refund Snipcart asked for, recorded before the provider is called.</summary>
public sealed class RefundRecord
{
    public required string PaymentRef { get; init; }
    public required string RefundId { get; init; }
    public required Money Amount { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public RefundState State { get; set; } = RefundState.Requested;
    public string? ProviderRefundId { get; set; }
    public string? FailureMessage { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
