namespace SnipcartGateway.Sandbox;

// What the sandbox keeps in memory. Records are snapshots: SandboxState replaces them under its lock, so a
// caller never sees one change under its feet.

public enum SandboxMode
{
    Test,
    Live,
}

/// <summary>Snipcart's Address type, as documented (region may be null and is still sent).</summary>
public sealed record SandboxAddress
{
    public string? Name { get; init; }
    public string? StreetAndNumber { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
}

/// <summary>Snipcart's Item type. <see cref="Type"/> is Physical, Digital, Tax, Shipping or Discount.</summary>
public sealed record SandboxItem(string Name, decimal UnitPrice, int Quantity, string Type, decimal RateOfTaxIncludedInPrice, decimal Amount);

/// <summary>Snipcart's Invoice type. Currency is lower case, as in Snipcart's examples.</summary>
public sealed record SandboxInvoice
{
    public SandboxAddress? ShippingAddress { get; init; }
    public SandboxAddress? BillingAddress { get; init; }
    public string? Email { get; init; }
    public string? Language { get; init; }
    public required string Currency { get; init; }
    public decimal Amount { get; init; }
    public string TargetId { get; init; } = Guid.NewGuid().ToString();
    /// <summary>As Snipcart's order invoices number them ("SNIP-1001"); sent when set.</summary>
    public string? InvoiceNumber { get; init; }
    public IReadOnlyList<SandboxItem> Items { get; init; } = [];
}

/// <summary>A payment method the gateway returned from the payment-methods webhook.</summary>
public sealed record SandboxPaymentMethod(string Id, string Name, string CheckoutUrl, string? IconUrl);

public sealed record SandboxPaymentError(string Code, string? Message);

/// <summary>A payment session, with what the gateway last confirmed for it.</summary>
public sealed record SandboxSession
{
    public required string Id { get; init; }
    public required SandboxMode Mode { get; init; }
    public required SandboxInvoice Invoice { get; init; }
    public required string PaymentAuthorizationRedirectUrl { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The state of the latest accepted create-payment call; null until the first one.</summary>
    public string? State { get; init; }
    public string? TransactionId { get; init; }
    public SandboxPaymentError? Error { get; init; }
    public string? Instructions { get; init; }
    /// <summary>links.refunds of the latest accepted call that had one.</summary>
    public string? RefundsUrl { get; init; }
    /// <summary>What the payment-methods webhook returned at checkout.</summary>
    public IReadOnlyList<SandboxPaymentMethod> PaymentMethods { get; init; } = [];
}

/// <summary>One call to POST /api/private/custom-payment-gateway/payment, accepted or not.</summary>
public sealed record PaymentCallRecord
{
    public required DateTimeOffset At { get; init; }
    public string? SessionId { get; init; }
    public string? State { get; init; }
    public string? TransactionId { get; init; }
    public SandboxPaymentError? Error { get; init; }
    public string? Instructions { get; init; }
    public string? RefundsUrl { get; init; }
    /// <summary>The mode whose key authenticated the call; null when no key matched.</summary>
    public SandboxMode? KeyMode { get; init; }
    public required bool Accepted { get; init; }
    public required int StatusCode { get; init; }
    /// <summary>Why it was refused, or null.</summary>
    public string? Reason { get; init; }
}

/// <summary>A request the sandbox received (any path under /api or /sandboxpay). The query is not kept: it holds tokens.</summary>
public sealed record ReceivedCallRecord(DateTimeOffset At, string Method, string Path, int StatusCode);

/// <summary>A request the sandbox sent: payment-methods webhook, refund webhook, Sandbox Pay notification.</summary>
public sealed record SentCallRecord
{
    public required DateTimeOffset At { get; init; }
    /// <summary>One of <see cref="SentCallKinds"/>.</summary>
    public required string Kind { get; init; }
    public required string Url { get; init; }
    public required string RequestBody { get; init; }
    /// <summary>Null when no answer came.</summary>
    public int? StatusCode { get; init; }
    public string? ResponseBody { get; init; }
    public string? Error { get; init; }
    /// <summary>The Snipcart session or Sandbox Pay payment it concerns.</summary>
    public string? Subject { get; init; }
}

public static class SentCallKinds
{
    public const string PaymentMethods = "snipcart.payment-methods";
    public const string Refund = "snipcart.refund";
    public const string SandboxPayNotification = "sandboxpay.notification";
}

/// <summary>Endpoints whose next answers a test can force (see SandboxState.FailNext).</summary>
public enum SimulatedEndpoint
{
    Validate,
    PaymentSession,
    CreatePayment,
    SandboxPayCreatePayment,
    SandboxPayGetPayment,
    SandboxPayRefund,
}

/// <summary>A forced answer. With <see cref="AfterApplying"/> the call takes effect and then fails: the ambiguous case.</summary>
public sealed record InjectedFault(int StatusCode, bool AfterApplying);
