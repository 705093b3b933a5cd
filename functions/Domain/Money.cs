using System.Globalization;

namespace SnipcartGateway.Domain;

/// <summary>An amount in major units (409.29 USD, 400 JPY) with its ISO-4217 code in upper case.</summary>
public readonly record struct Money
{
    public Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = CurrencyCodes.Normalize(currency);
    }

    public decimal Amount { get; }
    public string Currency { get; }

    /// <summary>The amount in the currency's minor unit (cents; yen for JPY). Throws if it has more precision.</summary>
    public long ToMinorUnits()
    {
        var factor = CurrencyCodes.MinorUnitFactor(Currency);
        var minor = Amount * factor;
        if (minor != decimal.Truncate(minor))
        {
            throw new InvalidOperationException(
                $"{Amount.ToString(CultureInfo.InvariantCulture)} {Currency} has more decimals than {Currency} allows.");
        }
        return (long)minor;
    }

    public static Money FromMinorUnits(long minor, string currency) =>
        new(minor / (decimal)CurrencyCodes.MinorUnitFactor(currency), currency);

    /// <summary>True when both have the same currency and the same value (409.290 equals 409.29).</summary>
    public bool SameAs(Money other) => Currency == other.Currency && Amount == other.Amount;

    public override string ToString() => $"{Amount.ToString(CultureInfo.InvariantCulture)} {Currency}";
}

public static class CurrencyCodes
{
    // ISO 4217 currencies without a minor unit, and with three decimals. Every other code has two.
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.Ordinal)
    {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    };

    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.Ordinal)
    {
        "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND",
    };

    /// <summary>Snipcart sends "usd"; providers want "USD".</summary>
    public static string Normalize(string? code)
    {
        var trimmed = code?.Trim() ?? "";
        if (trimmed.Length != 3 || !trimmed.All(char.IsAsciiLetter))
        {
            throw new ArgumentException($"'{code}' is not an ISO-4217 currency code.", nameof(code));
        }
        return trimmed.ToUpperInvariant();
    }

    public static bool IsValid(string? code) =>
        code is not null && code.Trim().Length == 3 && code.Trim().All(char.IsAsciiLetter);

    public static int MinorUnitDigits(string currency)
    {
        var code = Normalize(currency);
        return ZeroDecimal.Contains(code) ? 0 : ThreeDecimal.Contains(code) ? 3 : 2;
    }

    public static int MinorUnitFactor(string currency) => MinorUnitDigits(currency) switch
    {
        0 => 1,
        3 => 1000,
        _ => 100,
    };
}
