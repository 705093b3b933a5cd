namespace SnipcartGateway.Sandbox;

/// <summary>Sandbox Pay's status words, as its API spells them.</summary>
public static class SandboxPayStatuses
{
    public const string RequiresAction = "requires_action";
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Declined = "declined";
    public const string Canceled = "canceled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        RequiresAction, Pending, Succeeded, Declined, Canceled,
    };

    /// <summary>Once a payment is here the hosted page no longer changes it.</summary>
    public static bool IsFinal(string status) => status is Succeeded or Declined or Canceled;
}

public sealed record SandboxPayPayment
{
    public required string Id { get; init; }
    public required string Status { get; init; }
    public required decimal Amount { get; init; }
    /// <summary>Upper case.</summary>
    public required string Currency { get; init; }
    public required string Reference { get; init; }
    public string? Description { get; init; }
    public required string ReturnUrl { get; init; }
    public required string CancelUrl { get; init; }
    public string? NotificationUrl { get; init; }
    public decimal RefundedAmount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? IdempotencyKey { get; init; }
}

public sealed record SandboxPayRefund(string Id, string Status, decimal Amount, string Payment, string IdempotencyKey, DateTimeOffset CreatedAt);

/// <summary>A refund issued from the demo store's order page (Snipcart's dashboard in real life).</summary>
public sealed record StoreRefundRecord(DateTimeOffset At, string SessionId, decimal Amount, int? StatusCode, string? ResponseBody, string? Error);
