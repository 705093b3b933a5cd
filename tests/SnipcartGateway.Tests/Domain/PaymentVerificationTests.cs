using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

public sealed class PaymentVerificationTests
{
    private static readonly PaymentAttempt Attempt = new()
    {
        PaymentRef = "pay_abcdefghijklmnopqrstuvwxyz",
        SessionId = "s1",
        ProviderId = "p",
        Mode = PaymentMode.Test,
        Amount = new Money(409.29m, "usd"),
        InvoiceJson = "{}",
        RefundKey = "k",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Agrees_when_amount_currency_and_reference_match()
    {
        Assert.Null(PaymentVerification.FindMismatch(Attempt, new Money(409.290m, "USD"), Attempt.PaymentRef));
        Assert.Null(PaymentVerification.FindMismatch(Attempt, null, null));
    }

    [Theory]
    [InlineData(409.28, "USD", null)]
    [InlineData(409.29, "EUR", null)]
    [InlineData(409.29, "USD", "pay_someoneelsesreference000")]
    public void Finds_a_different_amount_currency_or_reference(decimal amount, string currency, string? reference)
    {
        Assert.NotNull(PaymentVerification.FindMismatch(Attempt, new Money(amount, currency), reference));
    }
}
