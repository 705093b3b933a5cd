using System.Text.Json.Serialization;

namespace SnipcartGateway.Snipcart;

// Typed shapes of Snipcart's custom payment gateway API (../shared/reference/snipcart.md, "TR").
// They are read tolerantly (see SnipcartJson): names without case, unknown members ignored, because the real
// payload carries more than the docs list.

/// <summary>GET /public/custom-payment-gateway/payment-session.</summary>
public sealed record SnipcartPaymentSession
{
    /// <summary>Documented as a Guid, but the documented example is not one: kept as a string.</summary>
    public required string Id { get; init; }
    public required SnipcartInvoice Invoice { get; init; }
    public string? PaymentAuthorizationRedirectUrl { get; init; }
    /// <summary>The session's payment state ("processing", "processed", ...). Not in Snipcart's reference, but in
    /// the typings of its own SleekyPay example: null when Snipcart does not send it.</summary>
    public string? State { get; init; }
}

public sealed record SnipcartInvoice
{
    public SnipcartAddress? ShippingAddress { get; init; }
    public SnipcartAddress? BillingAddress { get; init; }
    public string? Email { get; init; }
    public string? Language { get; init; }
    /// <summary>Lower case in Snipcart's examples ("usd"); normalise with CurrencyCodes before use.</summary>
    public required string Currency { get; init; }
    /// <summary>The order's grand total, in major units.</summary>
    public decimal Amount { get; init; }
    public string? TargetId { get; init; }
    /// <summary>Not in the custom-gateway reference (Snipcart's order API invoices carry it, "SNIP-1001"): kept and
    /// indexed for support when present.</summary>
    public string? InvoiceNumber { get; init; }
    public IReadOnlyList<SnipcartItem> Items { get; init; } = [];
}

public sealed record SnipcartAddress
{
    public string? Name { get; init; }
    public string? Surname { get; init; }
    /// <summary>Sent by Snipcart's newer address forms beside <c>name</c> (not in the custom-gateway reference).</summary>
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? StreetAndNumber { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    /// <summary>Not in the custom-gateway reference (Snipcart's order API addresses carry it): used when present.</summary>
    public string? Phone { get; init; }
}

public sealed record SnipcartItem
{
    public string? Name { get; init; }
    public decimal UnitPrice { get; init; }
    public decimal Quantity { get; init; }
    /// <summary>"Physical" | "Digital" | "Tax" | "Shipping" | "Discount".</summary>
    public string? Type { get; init; }
    public decimal RateOfTaxIncludedInPrice { get; init; }
    public decimal Amount { get; init; }
    public decimal? DiscountAmount { get; init; }
}

/// <summary>POST /private/custom-payment-gateway/payment.</summary>
public sealed record SnipcartPaymentRequest
{
    public required string PaymentSessionId { get; init; }
    /// <summary>"processing" | "processed" | "invalidated" | "failed".</summary>
    public required string State { get; init; }
    public required string TransactionId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SnipcartPaymentError? Error { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Instructions { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SnipcartPaymentLinks? Links { get; init; }
}

public sealed record SnipcartPaymentError(string Code, string? Message);

public sealed record SnipcartPaymentLinks(string Refunds);

/// <summary>Every official example reads <c>returnUrl</c> from the create-payment reply.</summary>
public sealed record SnipcartPaymentResponse
{
    public string? ReturnUrl { get; init; }
}

/// <summary>The body of the payment-methods webhook.</summary>
public sealed record SnipcartPaymentMethodsRequest
{
    public SnipcartInvoice? Invoice { get; init; }
    public string? PublicToken { get; init; }
    public string? Mode { get; init; }
}

/// <summary>One entry of the payment-methods webhook's answer.</summary>
public sealed record SnipcartPaymentMethod
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string CheckoutUrl { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IconUrl { get; init; }
}

/// <summary>The body of the refund webhook.</summary>
public sealed record SnipcartRefundRequest
{
    public string? PaymentId { get; init; }
    public decimal? Amount { get; init; }
    public string? PublicToken { get; init; }
}
