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
    /// <summary>Where the hosted page sends the shopper back; null for a widget payment (no redirect).</summary>
    public string? ReturnUrl { get; init; }
    public string? CancelUrl { get; init; }
    /// <summary><see cref="SandboxPayFlows.Redirect"/> (hosted page) or <see cref="SandboxPayFlows.Widget"/>.</summary>
    public string Flow { get; init; } = SandboxPayFlows.Redirect;
    /// <summary>What the widget script takes (widget flow only); it identifies the payment to the browser API.</summary>
    public string? CheckoutToken { get; init; }
    public string? NotificationUrl { get; init; }
    public decimal RefundedAmount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? IdempotencyKey { get; init; }
}

/// <summary>How the shopper pays a Sandbox Pay payment: on its hosted page, or in the widget on the merchant's page.</summary>
public static class SandboxPayFlows
{
    public const string Redirect = "redirect";
    public const string Widget = "widget";
}

public sealed record SandboxPayRefund(string Id, string Status, decimal Amount, string Payment, string IdempotencyKey, DateTimeOffset CreatedAt);

/// <summary>A refund issued from the demo store's order page (Snipcart's dashboard in real life).</summary>
public sealed record StoreRefundRecord(DateTimeOffset At, string SessionId, decimal Amount, int? StatusCode, string? ResponseBody, string? Error);
