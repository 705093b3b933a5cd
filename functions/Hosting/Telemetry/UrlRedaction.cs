namespace SnipcartGateway.Hosting.Telemetry;

/// <summary>
/// URLs as telemetry may show them: scheme, host, port and path, the query replaced by <c>?REDACTED</c>. Query
/// strings here carry the refund key (<c>?key=</c>), public tokens and, for some providers, credentials; the
/// instrumentations' own redaction keeps the names of the parameters, this keeps nothing.
/// </summary>
public static class UrlRedaction
{
    public const string Marker = "REDACTED";

    public static string? WithoutQuery(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url;
        }
        var end = url.IndexOfAny(['?', '#']);
        if (end < 0)
        {
            return url;
        }
        return url[end] == '?' ? url[..end] + "?" + Marker : url[..end];
    }

    public static string? WithoutQuery(Uri? url) =>
        url is null ? null : WithoutQuery(url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString);
}
