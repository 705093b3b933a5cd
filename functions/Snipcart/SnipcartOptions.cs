namespace SnipcartGateway.Snipcart;

/// <summary>Settings of the Snipcart client (section <c>Snipcart</c>, e.g. <c>Snipcart__SecretKeys__Live</c>).</summary>
public sealed class SnipcartOptions
{
    public const string SectionName = "Snipcart";
    public const string DefaultApiBaseUrl = "https://payment.snipcart.com/api";

    /// <summary>Snipcart's custom payment gateway API; the sandbox replaces it locally.</summary>
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>The custom gateway's secret API key of each mode (from Snipcart's gateway configuration screen).</summary>
    public SnipcartSecretKeys SecretKeys { get; set; } = new();

    /// <summary>Per attempt. Snipcart documents no timeout; the shopper is waiting on every one of these calls.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Extra attempts of the read-only GETs after a 5xx, 408, 429, a network error or a timeout. POSTs never
    /// retry (see Hosting/OutboundHttp/RetryPolicy).</summary>
    public int RetryCount { get; set; } = 3;

    /// <summary>
    /// Per attempt of the GETs (token validation, session), when shorter than <see cref="Timeout"/>: a read that
    /// hangs is cut and sent again, so the payment-methods webhook answers within Snipcart's wait even when some
    /// calls hang (docs/resilience.md). <c>POST /payment</c> keeps <see cref="Timeout"/>.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Wait before the first retry; doubled (with jitter) before each next one.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The base URL without its trailing slash, so paths can be appended.</summary>
    internal string BaseUrl => ApiBaseUrl.TrimEnd('/');
}

public sealed class SnipcartSecretKeys
{
    public string? Test { get; set; }
    public string? Live { get; set; }

    public string? For(SnipcartGateway.Domain.PaymentMode mode) => mode == SnipcartGateway.Domain.PaymentMode.Live ? Live : Test;
}
