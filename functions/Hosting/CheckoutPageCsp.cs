namespace SnipcartGateway.Hosting;

/// <summary>
/// The checkout page's Content-Security-Policy. Strict: the page's own files only, plus the API's origin for
/// connect-src when the page is served elsewhere. A widget provider's declared origins
/// (<see cref="Providers.IPaymentProvider.WidgetOrigins"/>: script, stylesheet, API and frame hosts) are admitted in
/// script-src, style-src, img-src, font-src, connect-src and frame-src, because a real payment SDK loads its own
/// stylesheet and fonts, calls its own API and PCI-proxy hosts and frames its card fields. Two wider rules hold only
/// then: <c>'unsafe-inline'</c> in style-src (SDKs set inline styles; styles cannot run code, and no script is
/// admitted inline) and <c>https:</c> in frame-src (3-D Secure challenge frames come from each card issuer's own
/// domain, which no list can name). Nothing else: no inline code, no framing of the page.
/// <para>
/// Which page gets which policy is decided per request (<see cref="CheckoutPageFiles.ContentSecurityPolicyFor"/>), from
/// the checkout link's <c>provider</c>: the page pays with exactly the provider its link names (Snipcart gives one link
/// per payment method), so only a page whose link names an enabled widget provider is widened, and with that
/// provider's origins only; the status page, redirect providers' pages and anything else get the strict policy. The
/// link's signature is not checked here: the page is static, and checking it means asking Snipcart for the session
/// on every page load (one more call and one more way for the page to fail). Nothing is lost by that: an edited
/// <c>provider</c> can only pick the policy a real page of that provider gets, and the API refuses the edited link
/// (the signature binds provider, mode and order). A separate page per widget provider would have the same effect
/// with new URLs, links and scripts to keep in step; this changes neither the page nor the shopper's flow.
/// </para>
/// </summary>
public static class CheckoutPageCsp
{
    public static string Build(string? apiOrigin, IEnumerable<string> widgetOrigins)
    {
        var widgets = widgetOrigins.Select(Origin).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var connect = string.Join(' ', ["'self'", .. Origin(apiOrigin) is { } api ? [api] : Array.Empty<string>(), .. widgets]);
        if (widgets.Count == 0)
        {
            // default-src 'none' already forbids frames; frame-src is named only when a widget needs one.
            return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
                + $"connect-src {connect}; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        }
        var listed = string.Join(' ', widgets);
        return $"default-src 'none'; script-src 'self' {listed}; style-src 'self' 'unsafe-inline' {listed}; "
            + $"img-src 'self' data: https: {listed}; connect-src {connect}; font-src 'self' {listed}; "
            + $"frame-src {listed} https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /// <summary>The <c>provider</c> of a checkout link's query, as the page reads it (Snipcart may append its
    /// <c>?publicToken=</c> with a second "?", which the page reads as "&amp;"); null when there is none.</summary>
    public static string? LinkProvider(string? query)
    {
        foreach (var pair in (query ?? "").Split('?', '&'))
        {
            if (pair.StartsWith("provider=", StringComparison.OrdinalIgnoreCase))
            {
                var value = Uri.UnescapeDataString(pair["provider=".Length..].Replace('+', ' ')).Trim();
                return value.Length == 0 ? null : value;
            }
        }
        return null;
    }

    /// <summary>scheme://host[:port] of an absolute http(s) URL, or null: anything else (a keyword such as
    /// 'unsafe-inline', a wildcard, a javascript: URL) never reaches the policy.</summary>
    private static string? Origin(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !string.IsNullOrEmpty(uri.Host) && !uri.Host.Contains('*')
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
