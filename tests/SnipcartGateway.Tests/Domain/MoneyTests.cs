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

    // ISO 4217's currencies without a minor unit and with three decimals, every one of them; any other has two.
    [Theory]
    [InlineData("USD", 2, 100)]
    [InlineData("eur", 2, 100)]
    [InlineData("ZAR", 2, 100)]
    [InlineData("BIF", 0, 1)]
    [InlineData("CLP", 0, 1)]
    [InlineData("DJF", 0, 1)]
    [InlineData("GNF", 0, 1)]
    [InlineData("ISK", 0, 1)]
    [InlineData("JPY", 0, 1)]
    [InlineData("KMF", 0, 1)]
    [InlineData("krw", 0, 1)]
    [InlineData("PYG", 0, 1)]
    [InlineData("RWF", 0, 1)]
    [InlineData("UGX", 0, 1)]
    [InlineData("UYI", 0, 1)]
    [InlineData("VND", 0, 1)]
    [InlineData("VUV", 0, 1)]
    [InlineData("XAF", 0, 1)]
    [InlineData("XOF", 0, 1)]
    [InlineData("XPF", 0, 1)]
    [InlineData("bhd", 3, 1000)]
    [InlineData("IQD", 3, 1000)]
    [InlineData("JOD", 3, 1000)]
    [InlineData("KWD", 3, 1000)]
    [InlineData("LYD", 3, 1000)]
    [InlineData("OMR", 3, 1000)]
    [InlineData("TND", 3, 1000)]
    public void Knows_each_currencys_minor_unit(string currency, int digits, int factor)
    {
        Assert.Equal(digits, CurrencyCodes.MinorUnitDigits(currency));
        Assert.Equal(factor, CurrencyCodes.MinorUnitFactor(currency));
    }

    [Theory]
    [InlineData(40929, "usd", "409.29")]
    [InlineData(400, "JPY", "400")]
    [InlineData(1234, "KWD", "1.234")]
    [InlineData(5, "EUR", "0.05")]
    public void Reads_minor_units_back_as_major_units(long minor, string currency, string major) =>
        Assert.Equal(decimal.Parse(major, System.Globalization.CultureInfo.InvariantCulture), Money.FromMinorUnits(minor, currency).Amount);

    [Fact]
    public void Refuses_a_fraction_of_a_cent_and_of_a_fils()
    {
        Assert.Throws<InvalidOperationException>(() => new Money(409.291m, "USD").ToMinorUnits());
        Assert.Throws<InvalidOperationException>(() => new Money(1.2345m, "KWD").ToMinorUnits());
        Assert.Equal(40929, new Money(409.2900m, "USD").ToMinorUnits());
    }

    [Fact]
    public void Is_the_same_only_in_the_same_currency_and_value()
    {
        var money = new Money(409.29m, "usd");
        Assert.True(money.SameAs(new Money(409.290m, "USD")));
        Assert.False(money.SameAs(new Money(409.29m, "EUR")));
        Assert.False(money.SameAs(new Money(409.28m, "USD")));
    }

    [Fact]
    public void Prints_the_amount_in_invariant_culture_with_the_code()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("409.29 USD", new Money(409.29m, "usd").ToString());
            var error = Assert.Throws<InvalidOperationException>(() => new Money(1.5m, "JPY").ToMinorUnits());
            Assert.Equal("1.5 JPY has more decimals than JPY allows.", error.Message);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData(" usd ", true)]
    [InlineData("USD", true)]
    [InlineData("US", false)]
    [InlineData("USDX", false)]
    [InlineData("U5D", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Tells_a_currency_code_from_anything_else(string? code, bool valid)
    {
        Assert.Equal(valid, CurrencyCodes.IsValid(code));
        if (valid)
        {
            Assert.Equal("USD", CurrencyCodes.Normalize(code));
        }
        else
        {
            var error = Assert.Throws<ArgumentException>(() => CurrencyCodes.Normalize(code));
            Assert.Contains($"'{code}' is not an ISO-4217 currency code.", error.Message);
        }
    }
}
