using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

public sealed class MoneyTests
{
    [Theory]
    [InlineData("usd", 409.29, 40929)]
    [InlineData("JPY", 400, 400)]
    [InlineData("kwd", 1.234, 1234)]
    public void Converts_to_the_currency_minor_unit(string currency, decimal amount, long minor)
    {
        var money = new Money(amount, currency);
        Assert.Equal(minor, money.ToMinorUnits());
        Assert.Equal(currency.ToUpperInvariant(), money.Currency);
        Assert.True(Money.FromMinorUnits(minor, currency).SameAs(money));
    }

    [Fact]
    public void Refuses_more_precision_than_the_currency_has()
    {
        Assert.Throws<InvalidOperationException>(() => new Money(400.5m, "JPY").ToMinorUnits());
    }

    [Theory]
    [InlineData("")]
    [InlineData("US")]
    [InlineData("U$D")]
    public void Refuses_a_malformed_currency(string currency)
    {
        Assert.Throws<ArgumentException>(() => new Money(1m, currency));
    }
}
