namespace SnipcartGateway.Sandbox;

/// <summary>Minor units per currency, for the few the demo store sells in and for validating provider amounts.</summary>
public static class SandboxMoney
{
    private static readonly HashSet<string> ZeroDecimal = new(StringComparer.OrdinalIgnoreCase) { "JPY", "KRW", "CLP", "VND", "ISK" };
    private static readonly HashSet<string> ThreeDecimal = new(StringComparer.OrdinalIgnoreCase) { "BHD", "KWD", "JOD", "OMR", "TND" };

    public static int Digits(string currency) =>
        ZeroDecimal.Contains(currency) ? 0 : ThreeDecimal.Contains(currency) ? 3 : 2;

    /// <summary>Rounds half away from zero, the way shops round tax.</summary>
    public static decimal Round(decimal amount, string currency) =>
        Math.Round(amount, Digits(currency), MidpointRounding.AwayFromZero);

    /// <summary>False for 10.001 USD or 100.5 JPY: real providers refuse amounts finer than the minor unit.</summary>
    public static bool HasValidPrecision(decimal amount, string currency) => Round(amount, currency) == amount;
}
