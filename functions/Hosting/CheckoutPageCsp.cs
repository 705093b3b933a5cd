namespace SnipcartGateway.Hosting;

/// <summary>
/// The checkout page's Content-Security-Policy. Strict: the page's own files only, plus the API's origin for
/// connect-src when the page is served elsewhere, plus, for widget providers, exactly the origins they declare
/// (<see cref="Providers.IPaymentProvider.WidgetOrigins"/>) in script-src, frame-src and connect-src. Nothing else:
/// no inline code, no styles from elsewhere, no framing of the page.
/// </summary>
public static class CheckoutPageCsp
{
    public static string Build(string? apiOrigin, IEnumerable<string> widgetOrigins)
    {
        var widgets = widgetOrigins.Select(Origin).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var scripts = string.Join(' ', ["'self'", .. widgets]);
        var connect = string.Join(' ', ["'self'", .. Origin(apiOrigin) is { } api ? [api] : Array.Empty<string>(), .. widgets]);
        // default-src 'none' already forbids frames; frame-src is named only when a widget needs one.
        var frames = widgets.Count > 0 ? $"frame-src {string.Join(' ', widgets)}; " : "";
        return $"default-src 'none'; script-src {scripts}; style-src 'self'; img-src 'self' data: https:; "
            + $"connect-src {connect}; font-src 'self'; {frames}base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary>scheme://host[:port] of an absolute http(s) URL, or null: anything else (a keyword such as
    /// 'unsafe-inline', a wildcard, a javascript: URL) never reaches the policy.</summary>
    private static string? Origin(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !string.IsNullOrEmpty(uri.Host) && !uri.Host.Contains('*')
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
