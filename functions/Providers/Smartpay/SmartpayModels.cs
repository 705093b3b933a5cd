using System.Text.Json;
using System.Text.Json.Serialization;

namespace SnipcartGateway.Providers.Smartpay;

// Smartpay's JSON as its SDKs type it (sdk-go types.go, sdk-node types.ts and the flat checkout-session JTD schema).
// Read tolerantly: unknown members ignored, every field optional.

/// <summary><c>POST /checkout-sessions</c>. Amounts are integers in the currency's smallest unit (yen).</summary>
public sealed record SmartpayCheckoutSessionCreate
{
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required string CaptureMethod { get; init; }
    public required IReadOnlyList<SmartpayLineItem> Items { get; init; }
    public required SmartpayCustomerInfo CustomerInfo { get; init; }
    public required SmartpayShippingInfo ShippingInfo { get; init; }
    public required string Reference { get; init; }
    public required string Locale { get; init; }
    public required string SuccessUrl { get; init; }
    public required string CancelUrl { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }
}

public sealed record SmartpayLineItem
{
    public required string Name { get; init; }
    /// <summary>The unit price; <see cref="Quantity"/> beside it.</summary>
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required int Quantity { get; init; }
    /// <summary>product | discount | tax.</summary>
    public required string Kind { get; init; }
}

public sealed record SmartpayCustomerInfo
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EmailAddress { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FirstName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PhoneNumber { get; init; }
}

public sealed record SmartpayShippingInfo
{
    public required SmartpayAddress Address { get; init; }
    public long FeeAmount { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FeeCurrency { get; init; }
}

public sealed record SmartpayAddress
{
    public required string Line1 { get; init; }
    public required string Locality { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AdministrativeArea { get; init; }
    public required string PostalCode { get; init; }
    public required string Country { get; init; }
}

/// <summary>The checkout session Smartpay answers: its <c>url</c> and the expanded <c>order</c>.</summary>
public sealed record SmartpayCheckoutSession(string? Id, string? Url, string? Reference, long? ExpiresAt, SmartpayOrder? Order);

/// <summary><c>GET /orders/{id}</c>. <c>payments</c> are ids, or objects when expanded.</summary>
public sealed record SmartpayOrder(string? Id, string? Status, long? Amount, string? Currency, string? Reference, bool? Test, JsonElement? Payments)
{
    public IReadOnlyList<string> PaymentIds =>
        Payments is { ValueKind: JsonValueKind.Array } list
            ? [.. list.EnumerateArray().Select(IdOf).OfType<string>()]
            : [];

    private static string? IdOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Object when element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String => id.GetString(),
        _ => null,
    };
}

/// <summary><c>GET /payments/{id}</c>, and a webhook's payment.</summary>
public sealed record SmartpayPayment(string? Id, string? Order, long? Amount, string? Currency, string? Status, string? Reference);

/// <summary><c>POST /refunds</c>.</summary>
public sealed record SmartpayRefundCreate(string Payment, long Amount, string Currency, string Reason, string Reference);

public sealed record SmartpayRefund(string? Id, string? Payment, long? Amount, string? Currency, string? Status, string? Reference);

/// <summary>A webhook: <c>{id, object:"event", createdAt, test, eventData:{type, version, data}}</c>.</summary>
public sealed record SmartpayEvent(string? Id, string? Object, bool? Test, SmartpayEventData? EventData);

public sealed record SmartpayEventData(string? Type, string? Version, JsonElement? Data);

/// <summary><c>POST /payments</c>: a capture of an authorised order (sdk-go <c>PaymentCreate</c>). With
/// <c>cancelRemainder: automatic</c> (the default, sent to say so) one capture closes the order.</summary>
public sealed record SmartpayPaymentCreate(string Order, long Amount, string Currency, string CancelRemainder, string Reference);
