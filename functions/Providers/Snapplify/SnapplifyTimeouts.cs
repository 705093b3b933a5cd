using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.Snapplify;

/// <summary>
/// Snapplify waits 15 s for our answer to an IPN, and the IPN path makes two calls: <c>/payment/ipn/validate</c> (a
/// POST with no documented idempotency: one attempt, never retried) and <c>/payment/validate</c> (retried once on a
/// transient failure, within the pipeline's total cap). With 4 s per attempt that is 4 s + 9.8 s = 13.8 s at worst,
/// leaving room for the host; the earlier 5 s with two retries could take 5 s + 17.6 s.
/// </summary>
public static class SnapplifyTimeouts
{
    /// <summary>Snapplify's own limit for an IPN answer (its IPN docs).</summary>
    public static readonly TimeSpan IpnAnswerLimit = TimeSpan.FromSeconds(15);

    public static readonly GatewayResilienceSettings Resilience = new(TimeSpan.FromSeconds(4)) { Retries = 1 };

    /// <summary>The IPN path's worst case with the URL's mode (the gateway always gives one): ipn/validate's single
    /// attempt, then validate's total cap.</summary>
    public static TimeSpan IpnWorstCase => Resilience.AttemptTimeout + Resilience.TotalTimeout;
}
