using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers;

/// <summary>
/// The payment-methods answer's list, health-aware: a provider whose calls are failing right now
/// (<see cref="UpstreamHealth"/>) is left out until it recovers, logged and counted, so a shopper is not sent to a
/// checkout page that cannot start the payment. The choice is <see cref="ProviderOffer.Choose"/>.
/// </summary>
public sealed class HealthAwareProviders(UpstreamHealth health, UpstreamMetrics metrics, ILogger<HealthAwareProviders> logger)
{
    public IReadOnlyList<IPaymentProvider> Offer(IReadOnlyList<IPaymentProvider> fitting)
    {
        var (offered, leftOut) = ProviderOffer.Choose(fitting, provider => health.IsLeftOut(provider.Id));
        foreach (var provider in leftOut)
        {
            metrics.RecordLeftOut(provider.Id);
            logger.LogWarning("{Provider} left out of the payment methods: its recent calls failed", provider.Id);
        }
        return offered;
    }
}

/// <summary>Which fitting providers to offer, given which are failing: a pure rule, tested as a table.</summary>
public static class ProviderOffer
{
    /// <summary>
    /// Offers every fitting provider that is not failing. When every one of them is failing they are all offered:
    /// an empty list leaves the shopper no way to pay at all, while a provider that is back answers the first
    /// shopper who tries (and so clears its own record). Only providers' own calls count: Snipcart failing (the
    /// token validation) answers 502 before this list is made, and hides no provider.
    /// </summary>
    public static (IReadOnlyList<T> Offered, IReadOnlyList<T> LeftOut) Choose<T>(IReadOnlyList<T> fitting, Func<T, bool> isFailing)
    {
        var leftOut = fitting.Where(isFailing).ToList();
        if (leftOut.Count == 0 || leftOut.Count == fitting.Count)
        {
            return (fitting, []);
        }
        return (fitting.Except(leftOut).ToList(), leftOut);
    }
}
