using SnipcartGateway.Providers.SandboxPay;

namespace SnipcartGateway.Providers.SandboxWidget;

/// <summary>Settings under <c>Providers:SandboxWidget</c> (Providers__SandboxWidget__Test__BaseUrl, __Test__SecretKey,
/// __Test__SigningSecret, __Test__WidgetScriptUrl). The keys are Sandbox Pay's: it is the same simulator.</summary>
public sealed class SandboxWidgetOptions : ProviderOptions<SandboxWidgetModeKeys>
{
    public const string Section = "SandboxWidget";
}

public sealed class SandboxWidgetModeKeys : SandboxPayModeKeys
{
    /// <summary>The widget script the checkout page loads; unset means <c>{BaseUrl}/widget.js</c>.</summary>
    public string? WidgetScriptUrl { get; set; }

    /// <summary>The script's URL, or null when neither it nor the base URL is an absolute http(s) URL.</summary>
    public Uri? WidgetScriptUri =>
        string.IsNullOrWhiteSpace(WidgetScriptUrl)
            ? BaseUri is { } baseUri ? new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/widget.js") : null
            : Uri.TryCreate(WidgetScriptUrl.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;

    public override bool IsConfigured => base.IsConfigured && WidgetScriptUri is not null;

    public override IEnumerable<string> Problems(string prefix)
    {
        foreach (var problem in base.Problems(prefix))
        {
            yield return problem;
        }
        if (!string.IsNullOrWhiteSpace(WidgetScriptUrl) && WidgetScriptUri is null)
        {
            yield return $"{prefix}__WidgetScriptUrl must be an absolute http(s) URL, not '{WidgetScriptUrl}'.";
        }
    }
}
