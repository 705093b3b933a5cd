using System.Diagnostics;
using OpenTelemetry;

namespace SnipcartGateway.Hosting.Telemetry;

/// <summary>
/// Takes the query out of every URL attribute of every span, whichever instrumentation set it (ASP.NET Core, the
/// HttpClient's own, the host's request proxying, the Azure SDK): run when a span starts and again when it ends,
/// before an exporter reads it.
/// </summary>
internal sealed class UrlRedactionProcessor : BaseProcessor<Activity>
{
    private static readonly string[] UrlAttributes = ["url.full", "http.url", "http.target"];

    public override void OnStart(Activity data) => Redact(data);

    public override void OnEnd(Activity data) => Redact(data);

    internal static void Redact(Activity activity)
    {
        foreach (var name in UrlAttributes)
        {
            if (activity.GetTagItem(name) is string url && url.Contains('?', StringComparison.Ordinal))
            {
                activity.SetTag(name, UrlRedaction.WithoutQuery(url));
            }
        }
        if (activity.GetTagItem("url.query") is string { Length: > 0 })
        {
            activity.SetTag("url.query", UrlRedaction.Marker);
        }
    }
}
