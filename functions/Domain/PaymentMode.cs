namespace SnipcartGateway.Domain;

/// <summary>Snipcart's order mode. Test and live use different secret keys and provider credentials.</summary>
public enum PaymentMode
{
    Test,
    Live,
}

public static class PaymentModes
{
    /// <summary>Snipcart documents both "test" and "Live": compare without case.</summary>
    public static bool TryParse(string? value, out PaymentMode mode)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "test": mode = PaymentMode.Test; return true;
            case "live": mode = PaymentMode.Live; return true;
            default: mode = default; return false;
        }
    }

    public static string ToWire(this PaymentMode mode) => mode == PaymentMode.Live ? "live" : "test";
}
