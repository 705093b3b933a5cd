using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Support;

/// <summary>Attempts written straight into the store, for states a purchase takes days to reach (old, flagged).</summary>
internal static class Planted
{
    public static PaymentAttempt Attempt(DateTimeOffset createdAt, bool settled) => new()
    {
        PaymentRef = PaymentReferences.NewPaymentRef(),
        SessionId = "planted-" + Guid.NewGuid().ToString("N"),
        ProviderId = "sandboxpay",
        Mode = PaymentMode.Test,
        Amount = new Money(10m, "USD"),
        InvoiceJson = "{\"currency\":\"usd\",\"amount\":10}",
        RefundKey = PaymentReferences.NewRefundKey(),
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        Status = settled ? PaymentStatus.Paid : PaymentStatus.Pending,
        ConfirmedState = settled ? SnipcartPaymentState.Processed : null,
    };

    /// <summary>Adds it as the checkout does (listed unsettled), then writes its settled state (which unlists it).</summary>
    public static async Task AddAsync(IPaymentStore store, PaymentAttempt attempt)
    {
        var version = await store.AddAttemptAsync(attempt);
        await store.UpdateAttemptAsync(attempt, version);
        await store.GetOrAddSessionAsync(attempt.SessionId);
    }
}
