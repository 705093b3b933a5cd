namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// Settings under <c>Providers:JpmSmartPay</c>: per mode the API's base URL, the merchant key, one of the two
/// authentication schemes the docs offer (Basic with <c>AuthenticationKey</c>, or OAuth 2.0 client credentials with
/// <c>TokenUrl</c>/<c>ClientId</c>/<c>ClientSecret</c>, used when set) and the web SDK's script URL; plus the Basic
/// user and password the merchant registers with SmartPay for its notifications (one pair for both modes: SmartPay
/// registers one endpoint per merchant account).
/// </summary>
public sealed class JpmSmartPayOptions : ProviderOptions<JpmSmartPayModeOptions>
{
    public const string Section = "JpmSmartPay";

    public JpmSmartPayNotificationOptions Notifications { get; set; } = new();

    /// <summary>The docs' examples are all EUR; SmartPay publishes no currency list.</summary>
    protected override IReadOnlyList<string> DefaultCurrencies => ["EUR"];

    public override IEnumerable<string> Problems(string prefix)
    {
        foreach (var problem in base.Problems(prefix))
        {
            yield return problem;
        }
        if (!Enabled)
        {
            yield break;
        }
        var user = !string.IsNullOrWhiteSpace(Notifications.Username);
        var password = !string.IsNullOrWhiteSpace(Notifications.Password);
        if (user != password)
        {
            yield return $"{prefix}__Notifications__{(user ? "Password" : "Username")} is missing ({prefix}__Notifications__{(user ? "Username" : "Password")} is set).";
        }
        if (Notifications.Username?.Contains(':') == true)
        {
            yield return $"{prefix}__Notifications__Username must not contain ':' (Basic authentication splits on it).";
        }
    }
}

public sealed class JpmSmartPayNotificationOptions
{
    /// <summary>The Basic user SmartPay sends with every notification (registered with its Customer Support).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Username) && !string.IsNullOrWhiteSpace(Password);
}

/// <summary>One mode (<c>Providers__JpmSmartPay__Test__…</c> or <c>__Live__…</c>). SmartPay publishes its base URLs,
/// token URLs and script URLs only on a page its Product Solutions Specialist hands out: none has a default.</summary>
public sealed class JpmSmartPayModeOptions : ProviderModeOptions
{
    /// <summary>36-character key SmartPay gives each merchant; sent in every body and as the Basic user.</summary>
    public string? MerchantKey { get; set; }

    /// <summary>The Basic password (scheme 1).</summary>
    public string? AuthenticationKey { get; set; }

    /// <summary>OAuth 2.0 token endpoint (scheme 2), e.g. SmartPay's Cognito <c>…/oauth2/token</c>.</summary>
    public string? TokenUrl { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The web SDK (<c>smp-bundle.js</c>) the checkout page loads; its origin is admitted by the page's CSP.</summary>
    public string? WidgetScriptUrl { get; set; }

    /// <summary><c>Providers__JpmSmartPay__{Mode}__WidgetOrigins</c>: comma-separated origins, beyond the script's and
    /// the stylesheet's, the checkout page's CSP admits for the widget (SmartPay's API and PCI-proxy hosts the SDK calls,
    /// the hosts of its frames and fonts), as SmartPay lists them for the merchant.</summary>
    public string? WidgetOrigins { get; set; }

    /// <summary><c>Providers__JpmSmartPay__{Mode}__StylesheetUrl</c>: the widget's <c>smartpay-style.css</c> (the docs:
    /// self-hosted or from SmartPay's stylesheet generator), loaded by the page before the widget renders.</summary>
    public string? StylesheetUrl { get; set; }

    public Uri? StylesheetUri => HttpUri(StylesheetUrl);

    /// <summary>The origins of <see cref="WidgetOrigins"/> (entries that are not absolute http(s) URLs are a start-up problem).</summary>
    public IReadOnlyList<Uri> ExtraWidgetOrigins =>
        OriginEntries.Select(HttpUri).OfType<Uri>().ToList();

    private IEnumerable<string> OriginEntries =>
        (WidgetOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>OAuth is used as soon as any of its settings is set (a partial set is a start-up problem).</summary>
    public bool UsesOAuth => new[] { TokenUrl, ClientId, ClientSecret }.Any(v => !string.IsNullOrWhiteSpace(v));

    public Uri? TokenUri => HttpUri(TokenUrl);

    public Uri? WidgetScriptUri => HttpUri(WidgetScriptUrl);

    protected override IEnumerable<(string Name, string? Value)> Credentials =>
        [(nameof(MerchantKey), MerchantKey), (nameof(AuthenticationKey), AuthenticationKey), (nameof(WidgetScriptUrl), WidgetScriptUrl)];

    private bool OAuthComplete =>
        TokenUri is not null && !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    public override bool IsConfigured =>
        BaseUri is not null && !string.IsNullOrWhiteSpace(MerchantKey) && WidgetScriptUri is not null
        && (UsesOAuth ? OAuthComplete : !string.IsNullOrWhiteSpace(AuthenticationKey));

    public override bool IsPartlyConfigured => !IsConfigured && AnySet;

    private bool AnySet =>
        new[] { MerchantKey, AuthenticationKey, TokenUrl, ClientId, ClientSecret, WidgetScriptUrl }.Any(v => !string.IsNullOrWhiteSpace(v));

    public override IEnumerable<string> Problems(string prefix)
    {
        if (!AnySet)
        {
            yield break;
        }
        if (BaseUri is null)
        {
            yield return $"{prefix}__BaseUrl must be an absolute http(s) URL (SmartPay's API base URL for this mode), not '{BaseUrl}'.";
        }
        if (string.IsNullOrWhiteSpace(MerchantKey))
        {
            yield return $"{prefix}__MerchantKey is missing (other {prefix}__* settings are set).";
        }
        if (WidgetScriptUri is null)
        {
            yield return $"{prefix}__WidgetScriptUrl must be the absolute http(s) URL of SmartPay's web SDK for this mode, not '{WidgetScriptUrl}'.";
        }
        foreach (var entry in OriginEntries.Where(e => HttpUri(e) is not { } uri || uri.Host.Contains('*') || uri.AbsolutePath != "/" || uri.Query.Length > 0))
        {
            yield return $"{prefix}__WidgetOrigins: '{entry}' is not an origin (scheme://host[:port], comma-separated).";
        }
        if (!string.IsNullOrWhiteSpace(StylesheetUrl) && StylesheetUri is null)
        {
            yield return $"{prefix}__StylesheetUrl must be an absolute http(s) URL of the widget's stylesheet, not '{StylesheetUrl}'.";
        }
        if (UsesOAuth)
        {
            if (!string.IsNullOrWhiteSpace(TokenUrl) && TokenUri is null)
            {
                yield return $"{prefix}__TokenUrl must be an absolute http(s) URL, not '{TokenUrl}'.";
            }
            foreach (var (name, value) in new[] { (nameof(TokenUrl), TokenUrl), (nameof(ClientId), ClientId), (nameof(ClientSecret), ClientSecret) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    yield return $"{prefix}__{name} is missing: OAuth needs {prefix}__TokenUrl, __ClientId and __ClientSecret together.";
                }
            }
        }
        else if (string.IsNullOrWhiteSpace(AuthenticationKey))
        {
            yield return $"{prefix}__AuthenticationKey is missing (Basic), or set {prefix}__TokenUrl, __ClientId and __ClientSecret (OAuth).";
        }
    }

    private static Uri? HttpUri(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;
}
