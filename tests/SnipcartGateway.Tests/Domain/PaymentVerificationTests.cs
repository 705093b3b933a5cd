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
    }

    [Fact]
    public void A_provider_that_echoes_amount_and_reference_but_leaves_them_out_has_not_verified_anything()
    {
        Assert.NotNull(PaymentVerification.FindMismatch(Attempt, null, Attempt.PaymentRef));
        Assert.NotNull(PaymentVerification.FindMismatch(Attempt, new Money(409.29m, "usd"), null));
        Assert.NotNull(PaymentVerification.FindMismatch(Attempt, null, null));
    }

    [Fact]
    public void A_provider_that_declares_it_does_not_echo_them_is_checked_on_what_it_does_say()
    {
        Assert.Null(PaymentVerification.FindMismatch(Attempt, null, null, echoesAmount: false, echoesReference: false));
        Assert.Null(PaymentVerification.FindMismatch(Attempt, new Money(409.29m, "usd"), null, echoesReference: false));
        Assert.NotNull(PaymentVerification.FindMismatch(Attempt, new Money(1m, "usd"), null, echoesReference: false));
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
