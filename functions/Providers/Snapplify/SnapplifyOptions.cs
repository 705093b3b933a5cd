namespace SnipcartGateway.Providers.Snapplify;

/// <summary>
/// Settings under <c>Providers:Snapplify</c>: <c>Providers__Snapplify__Enabled</c>, <c>__Currencies</c> (default ZAR,
/// USD, KES: the currencies Snapplify's own WooCommerce plugin offers), <c>__Countries</c>, and per mode
/// <c>__Test__BaseUrl</c> / <c>__Test__Client</c> / <c>__Test__Secret</c> (the same under <c>__Live__</c>).
/// </summary>
public sealed class SnapplifyOptions : ProviderOptions<SnapplifyModeOptions>
{
    public const string Section = "Snapplify";
    public const string TestBaseUrl = "https://sandboxpay.snapplify.com";
    public const string LiveBaseUrl = "https://pay.snapplify.com";

    // The two modes share one class, so each gets its documented host here; a configured BaseUrl still wins
    // (the binder fills these instances in place).
    public SnapplifyOptions()
    {
        Test.BaseUrl = TestBaseUrl;
        Live.BaseUrl = LiveBaseUrl;
    }

    protected override IReadOnlyList<string> DefaultCurrencies => ["ZAR", "USD", "KES"];

    /// <summary><c>Providers__Snapplify__IpnAnswerBudget</c>: how long the IPN handler may take before it answers
    /// Snapplify (default 12 s; Snapplify waits 15 s). See <see cref="SnapplifyTimeouts"/>.</summary>
    public TimeSpan IpnAnswerBudget { get; set; } = SnapplifyTimeouts.DefaultIpnAnswerBudget;

    public override IEnumerable<string> Problems(string prefix)
    {
        foreach (var problem in base.Problems(prefix))
        {
            yield return problem;
        }
        if (Enabled && (IpnAnswerBudget <= TimeSpan.Zero || IpnAnswerBudget >= SnapplifyTimeouts.IpnAnswerLimit))
        {
            yield return $"{prefix}__IpnAnswerBudget must be more than 0 and less than Snapplify's 15 s (00:00:12 by default).";
        }
    }
}

/// <summary>One mode's Snapplify client: the <c>client</c> identifier and the <c>secret</c> Snapplify issues.
/// Both travel in the query string of every API call (Snapplify takes no auth header).</summary>
public sealed class SnapplifyModeOptions : ProviderModeOptions
{
    public string? Client { get; set; }
    public string? Secret { get; set; }

    protected override IEnumerable<(string Name, string? Value)> Credentials =>
        [(nameof(Client), Client), (nameof(Secret), Secret)];
}
