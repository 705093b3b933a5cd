using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

/// <summary>A stored attempt as the pure tests need one: only what the rule under test reads varies.</summary>
public static class TestAttempts
{
    public const string PaymentRef = "pay_0123456789abcdefghij";

    public static PaymentAttempt New(DateTimeOffset createdAt, string provider = "sandboxpay", decimal amount = 10m, string currency = "USD") => new()
    {
        PaymentRef = PaymentRef,
        SessionId = "s",
        ProviderId = provider,
        Mode = PaymentMode.Test,
        Amount = new Money(amount, currency),
        InvoiceJson = "{}",
        RefundKey = "k",
        CreatedAt = createdAt,
    };
}
