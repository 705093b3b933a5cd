namespace SnipcartGateway.Hosting;

/// <summary>Response headers the gateway sets, in one place.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Every answer: no MIME sniffing, and no caching, because API answers carry return URLs, payment state or
    /// addresses. The checkout page's static files override Cache-Control for themselves.
    /// </summary>
    public static void ApiDefaults(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
    }

    /// <summary>The checkout page: a strict CSP, no framing, no referrer (its URL carries Snipcart's public token).</summary>
    public static void Page(HttpResponse response, string contentSecurityPolicy)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        // Nothing the page uses; payment stays allowed for itself, for widget providers.
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), usb=(), payment=(self)";
    }
}
