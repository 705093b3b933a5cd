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

    /// <summary>How many follow-up checks left the refund pending or unanswered (see Payments.RefundFollowUpService).</summary>
    public int FollowUpChecks { get; set; }

    /// <summary>When the follow-up asks the provider again (null: <see cref="RequestedAt"/> plus ReconcileAfter).</summary>
    public DateTimeOffset? NextCheckAt { get; set; }

    /// <summary>Still not final after the follow-up's cap, or refused after Snipcart was told it was under way.</summary>
    public bool NeedsAttention { get; set; }

    /// <summary>A manual refund marked done or dropped: by whom (the support key's name), when, and the note.</summary>
    public ManualRefundOutcome? Resolution { get; set; }
    public string? ResolvedBy { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolutionNote { get; set; }
}

/// <summary>What the merchant says of a refund that had to be made by hand in the provider's dashboard.</summary>
public enum ManualRefundOutcome
{
    /// <summary>Made in the dashboard: the amount stays counted as refunded.</summary>
    Done,
    /// <summary>Not made, and will not be: the amount is freed.</summary>
    Dropped,
}
