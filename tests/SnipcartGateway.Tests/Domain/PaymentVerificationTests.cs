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

    // Every row carries the attempt's own reference unless the reference is what differs: a row without one would
    // stop at "no reference" and never compare the amount or the currency.
    [Theory]
    [InlineData("409.28", "USD", null, "reports 409.28 USD")]
    [InlineData("409.30", "USD", null, "reports 409.30 USD")]
    [InlineData("409.289", "USD", null, "reports 409.289 USD")]     // less than a cent apart is still another amount
    [InlineData("409.2901", "USD", null, "reports 409.2901 USD")]
    [InlineData("409.29", "EUR", null, "reports 409.29 EUR")]
    [InlineData("409.29", "USD", "pay_someoneelsesreference000", "'pay_someoneelsesreference000' is not this payment's")]
    [InlineData("409.29", "USD", "PAY_ABCDEFGHIJKLMNOPQRSTUVWXYZ", "is not this payment's")]  // references are case-sensitive
    public void Finds_a_different_amount_currency_or_reference(string amount, string currency, string? reference, string why)
    {
        var paid = new Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), currency);

        var mismatch = PaymentVerification.FindMismatch(Attempt, paid, reference ?? Attempt.PaymentRef);

        Assert.NotNull(mismatch);
        Assert.Contains(why, mismatch);
    }

    [Fact]
    public void A_different_amount_is_found_even_when_the_provider_does_not_echo_the_reference()
    {
        Assert.Contains("reports 409.289 USD", PaymentVerification.FindMismatch(Attempt, new Money(409.289m, "USD"), null, echoesReference: false));
        Assert.Contains("not this payment's", PaymentVerification.FindMismatch(Attempt, null, "pay_other", echoesAmount: false));
    }

    [Fact]
    public void Says_which_of_amount_and_reference_is_missing()
    {
        Assert.Equal("The provider did not say what was paid.", PaymentVerification.FindMismatch(Attempt, null, Attempt.PaymentRef));
        Assert.Equal("The provider did not say which payment this is.", PaymentVerification.FindMismatch(Attempt, new Money(409.29m, "USD"), null));
    }
}
