using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>A plain stored attempt for the lifecycle's unit tables: 10.00 USD, well-formed reference, created at
/// <see cref="Created"/>, nothing recorded yet.</summary>
internal static class LifecycleAttempts
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    public const string Ref = "pay_0123456789abcdefghijklmnop";

    public static PaymentAttempt New(DateTimeOffset? created = null, PaymentStatus status = PaymentStatus.Pending) => new()
    {
        PaymentRef = Ref,
        SessionId = "session",
        ProviderId = "provider",
        Mode = PaymentMode.Test,
        Amount = new Money(10m, "USD"),
        InvoiceJson = "{}",
        RefundKey = "key",
        CreatedAt = created ?? Now.AddMinutes(-5),
        ProviderPaymentId = "provider-id",
        Status = status,
    };
}
