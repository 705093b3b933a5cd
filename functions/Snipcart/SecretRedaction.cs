namespace SnipcartGateway.Snipcart;

/// <summary>Public tokens and keys are credentials: logs get a short prefix at most.</summary>
public static class SecretRedaction
{
    public static string Prefix(string? secret, int visible = 6) =>
        string.IsNullOrEmpty(secret) ? "(none)" : secret.Length <= visible * 2 ? "***" : secret[..visible] + "…";
}
