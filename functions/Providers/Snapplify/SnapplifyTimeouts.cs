using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.Snapplify;

/// <summary>
/// Snapplify waits 15 s for our answer to an IPN and sends a failed one again, 3 more times (its IPN docs). The IPN
/// path makes two Snapplify calls: <c>/payment/ipn/validate</c> (no documented idempotency: one attempt of 4 s) and
/// <c>/payment/validate</c> (retried once on a transient failure: 4 s + backoff + 4 s, capped at 9.8 s), 13.8 s at
/// worst; then storage writes (each a Table call with its own retries) and, for a paid payment, Snipcart's
/// <c>POST /payment</c> (15 s, sent once). Unbudgeted, that is 13.8 s + 15 s + storage: far past 15 s (the earlier 5 s
/// attempts with two retries made the Snapplify calls alone 5 s + 17.6 s). So the whole handler runs under one budget,
/// <see cref="DefaultIpnAnswerBudget"/> (<c>Providers__Snapplify__IpnAnswerBudget</c>), through
/// <see cref="IPaymentProvider.NotificationAnswerBudget"/>: at the budget Snapplify is answered 503 (it sends the IPN
/// again) and what was recorded is finished by the timer.
/// </summary>
public static class SnapplifyTimeouts
{
    /// <summary>Snapplify's own limit for an IPN answer (its IPN docs).</summary>
    public static readonly TimeSpan IpnAnswerLimit = TimeSpan.FromSeconds(15);

    /// <summary>The handler's budget: 3 s under Snapplify's limit for the network between us and Snapplify, the
    /// Functions host's proxying and writing the answer.</summary>
    public static readonly TimeSpan DefaultIpnAnswerBudget = TimeSpan.FromSeconds(12);

    public static readonly GatewayResilienceSettings Resilience = new(TimeSpan.FromSeconds(4)) { Retries = 1 };

    /// <summary>The Snapplify calls of the IPN path at worst with the URL's mode (the gateway always gives one):
    /// ipn/validate's single attempt, then validate's total cap. More than the budget: a validate whose first attempt
    /// timed out late in the budget is cut by the budget, not by its own retry.</summary>
    public static TimeSpan IpnWorstCase => Resilience.AttemptTimeout + Resilience.TotalTimeout;
}
