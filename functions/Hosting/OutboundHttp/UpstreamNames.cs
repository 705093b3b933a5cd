namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// The upstream an HTTP client talks to, as metrics, spans, logs and the providers' health name it: a provider's
/// id (<c>sandboxpay</c>, <c>jpmsmartpay</c> for both its API and OAuth clients) or <c>snipcart</c>.
/// </summary>
public static class UpstreamNames
{
    public const string Snipcart = "snipcart";

    /// <summary><c>ISnipcartClient</c> (a typed client) → <c>snipcart</c>; <c>jpmsmartpay-oauth</c> → <c>jpmsmartpay</c>.</summary>
    public static string FromClientName(string clientName)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientName);
        var name = clientName.Split('-', 2)[0];
        if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
        {
            name = name[1..];
        }
        if (name.EndsWith("Client", StringComparison.Ordinal) && name.Length > "Client".Length)
        {
            name = name[..^"Client".Length];
        }
        return name.ToLowerInvariant();
    }
}
