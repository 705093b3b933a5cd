namespace SnipcartGateway.Providers;

/// <summary>
/// A provider's own timing. <paramref name="CheckoutLifetime"/>: how long an unpaid checkout stays payable (null: the
/// gateway's Payments__AbandonAfter); after it and one last check the attempt is closed. <paramref name="PendingChecks"/>:
/// after a lookup that leaves a payment pending, the waits before the next lookups (J.P. Morgan asks for three within
/// three minutes); once they are used up the gateway logs an error and goes on at its own reconciliation pace.
/// </summary>
public sealed record ProviderRhythm(TimeSpan? CheckoutLifetime, IReadOnlyList<TimeSpan> PendingChecks)
{
    public static readonly ProviderRhythm Default = new(null, []);
}
