namespace SnipcartGateway.Snipcart;

/// <summary>
/// What a Snipcart public token can look like, checked before the token is sent anywhere: Snipcart's examples
/// show a JWT ("&lt;JWT_TOKEN&gt;"), so base64url segments and dots, a few hundred characters. Anything blank,
/// longer than <see cref="MaxLength"/> or with other characters cannot be valid, and forwarding it (a 5 MB
/// "token", three times with retries) only loads Snipcart and our outbound connections.
/// </summary>
public static class PublicTokenShape
{
    /// <summary>Generous for a JWT with a few claims; far below anything that strains a URL.</summary>
    public const int MaxLength = 4096;

    public static bool IsPlausible(string? token) =>
        !string.IsNullOrWhiteSpace(token)
        && token.Length <= MaxLength
        && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=' or '+' or '/' or '~');
}
