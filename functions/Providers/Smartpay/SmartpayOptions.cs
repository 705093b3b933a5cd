using System.Text.RegularExpressions;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// Settings under <c>Providers:Smartpay</c>. Smartpay has one API for both modes (the key decides: <c>sk_test_</c> or
/// <c>sk_live_</c>), so its address is the top-level <c>Providers__Smartpay__ApiBaseUrl</c>; a mode's own
/// <c>__Test__BaseUrl</c> / <c>__Live__BaseUrl</c> (the shape every provider shares) falls back to it.
/// </summary>
public sealed partial class SmartpayOptions : ProviderOptions<SmartpayModeOptions>
{
    public const string Section = "Smartpay";
    public const string DefaultApiBaseUrl = "https://api.smartpay.co/v1";

    /// <summary>Smartpay's API, both modes (sdk-node <c>API_PREFIX</c>).</summary>
    /// <summary>Smartpay serves shoppers in Japan (its SDKs' country enum lists only JP): offered for Japanese billing
    /// addresses unless <c>Providers__Smartpay__Countries</c> says otherwise.</summary>
    protected override IReadOnlyList<string> DefaultCountries => ["JP"];

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary><c>automatic</c> (Smartpay captures at authorisation) or <c>manual</c> (the merchant captures later;
    /// an authorised order, <c>requires_capture</c>, then counts as paid).</summary>
    public string CaptureMethod { get; set; } = SmartpayCaptureMethods.Automatic;

    /// <summary>How far a webhook's <c>Smartpay-Signature-Timestamp</c> may be from now, either way.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bound on each call to Smartpay (a read that fails with a 5xx is tried once more).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Smartpay's SDKs know one currency.</summary>
    protected override IReadOnlyList<string> DefaultCurrencies => ["JPY"];

    public bool ManualCapture => string.Equals(CaptureMethod?.Trim(), SmartpayCaptureMethods.Manual, StringComparison.OrdinalIgnoreCase);

    /// <summary>Gives each mode without its own BaseUrl the top-level ApiBaseUrl (run after binding).</summary>
    public void ApplyApiBaseUrl()
    {
        foreach (var mode in new[] { Test, Live })
        {
            if (string.IsNullOrWhiteSpace(mode.BaseUrl))
            {
                mode.BaseUrl = ApiBaseUrl;
            }
        }
    }

    public override IEnumerable<string> Problems(string prefix)
    {
        if (!Enabled)
        {
            yield break;
        }
        foreach (var problem in base.Problems(prefix))
        {
            yield return problem;
        }
        if (!Uri.TryCreate(ApiBaseUrl?.Trim(), UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
        {
            yield return $"{prefix}__ApiBaseUrl must be an absolute http(s) URL, not '{ApiBaseUrl}'.";
        }
        if (CaptureMethod?.Trim().ToLowerInvariant() is not (SmartpayCaptureMethods.Automatic or SmartpayCaptureMethods.Manual))
        {
            yield return $"{prefix}__CaptureMethod must be 'automatic' or 'manual', not '{CaptureMethod}'.";
        }
        if (WebhookTolerance <= TimeSpan.Zero)
        {
            yield return $"{prefix}__WebhookTolerance must be positive.";
        }
        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}__Timeout must be positive.";
        }
        foreach (var (mode, keys) in new[] { (PaymentMode.Test, Test), (PaymentMode.Live, Live) })
        {
            var setting = $"{prefix}__{mode}__";
            // The values are secrets: the messages say what is wrong, never what was found.
            if (!string.IsNullOrWhiteSpace(keys.SecretKey))
            {
                var key = keys.SecretKey.Trim();
                if (!SecretKeyShape().IsMatch(key))
                {
                    yield return $"{setting}SecretKey is not a Smartpay secret key (sk_test_… or sk_live_…).";
                }
                else if (mode == PaymentMode.Test && key.StartsWith("sk_live_", StringComparison.Ordinal))
                {
                    yield return $"{setting}SecretKey is a live key (sk_live_…): test mode needs an sk_test_ key.";
                }
                else if (mode == PaymentMode.Live && key.StartsWith("sk_test_", StringComparison.Ordinal))
                {
                    yield return $"{setting}SecretKey is a test key (sk_test_…): live mode needs an sk_live_ key.";
                }
            }
            if (!string.IsNullOrWhiteSpace(keys.SigningSecret) && !Base62.IsValid(keys.SigningSecret.Trim()))
            {
                yield return $"{setting}SigningSecret is not a Smartpay signing secret (Base62 letters and digits, as POST /webhook-endpoints answers it).";
            }
        }
    }

    /// <summary>sdk-node <c>src/utils.ts</c>.</summary>
    [GeneratedRegex("^sk_(test|live)_[0-9a-zA-Z]+$")]
    private static partial Regex SecretKeyShape();
}

/// <summary>One mode's Smartpay credentials: <c>Providers__Smartpay__Test__SecretKey</c>, <c>__SigningSecret</c>.</summary>
public sealed class SmartpayModeOptions : ProviderModeOptions
{
    /// <summary>Sent as <c>Authorization: Basic &lt;key&gt;</c>, raw, as every Smartpay SDK sends it.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's <c>signingSecret</c> (Base62), from <c>POST /webhook-endpoints</c>.</summary>
    public string? SigningSecret { get; set; }

    protected override IEnumerable<(string Name, string? Value)> Credentials =>
        [(nameof(SecretKey), SecretKey), (nameof(SigningSecret), SigningSecret)];
}

public static class SmartpayCaptureMethods
{
    // sdk-go const.go. (sdk-node and sdk-php misspell the automatic constant 'autommatic'.)
    public const string Automatic = "automatic";
    public const string Manual = "manual";
}
