using System.Text.Json;

namespace SnipcartGateway.Sandbox.Smartpay;

// What the Smartpay simulator keeps, as snapshots replaced under SmartpayState's lock. Amounts are integers in yen.

public sealed record SmartpaySimLineItem(string Name, long Amount, int Quantity, string Kind, string Currency);

public sealed record SmartpaySimSession
{
    public required string Id { get; init; }
    public required bool Test { get; init; }
    public required string OrderId { get; init; }
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    public string? Locale { get; init; }
    public string? Reference { get; init; }
    public JsonElement? CustomerInfo { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

public sealed record SmartpaySimOrder
{
    public required string Id { get; init; }
    public required bool Test { get; init; }
    public required string Status { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public string? Reference { get; init; }
    /// <summary>The merchant's description of the order, as the checkout shows it to the shopper.</summary>
    public string? Description { get; init; }
    public required string CaptureMethod { get; init; }
    public required IReadOnlyList<SmartpaySimLineItem> LineItems { get; init; }
    public long ShippingFee { get; init; }
    public JsonElement? ShippingInfo { get; init; }
    public IReadOnlyList<string> PaymentIds { get; init; } = [];
    /// <summary>The order's <c>expiresAt</c>: set when authorised under manual capture; no capture after it.</summary>
    public DateTimeOffset? AuthorizationExpiresAt { get; init; }
    public required string SessionId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

public sealed record SmartpaySimPayment
{
    public required string Id { get; init; }
    public required bool Test { get; init; }
    public required string OrderId { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public string? Reference { get; init; }
    /// <summary>processed | refunded.</summary>
    public required string Status { get; init; }
    public long RefundedAmount { get; init; }
    public IReadOnlyList<string> RefundIds { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record SmartpaySimRefund
{
    public required string Id { get; init; }
    public required bool Test { get; init; }
    public required string PaymentId { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string Reason { get; init; }
    public string? Reference { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record SmartpaySimWebhookEndpoint
{
    public required string Id { get; init; }
    public required bool Test { get; init; }
    public required string Url { get; init; }
    public required string SigningSecret { get; init; }
    /// <summary>Empty: every event.</summary>
    public IReadOnlyList<string> EventSubscriptions { get; init; } = [];
    public string? Description { get; init; }
    public bool Active { get; init; } = true;
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One API call the simulator received, with what a test wants to check (never kept beyond the sandbox).</summary>
public sealed record SmartpaySimCall(DateTimeOffset At, string Method, string Path, string? Authorization, string? IdempotencyKey, string? Body, int StatusCode);

/// <summary>A webhook delivery attempt.</summary>
public sealed record SmartpaySimDelivery(DateTimeOffset At, string EndpointId, string EventId, string Type, string Url, string Body, long Timestamp, string Signature, int? StatusCode, string? Error);

/// <summary>Calls whose next answers a test can force.</summary>
public enum SmartpaySimCallKind
{
    CreateCheckoutSession,
    GetOrder,
    GetPayment,
    CreateRefund,
}

public static class SmartpaySimEvents
{
    public const string OrderAuthorized = "order.authorized";
    public const string OrderRejected = "order.rejected";
    public const string OrderCanceled = "order.canceled";
    public const string PaymentCreated = "payment.created";
    public const string RefundCreated = "refund.created";
}
