namespace SnipcartGateway.Domain;

public static class PaymentStoreExtensions
{
    /// <summary>
    /// Writes the attempt if it is still at <paramref name="version"/>; false when another writer got there first
    /// (the caller re-reads and decides again). Every state change of an attempt goes through an ETag like this.
    /// </summary>
    public static async Task<bool> TryUpdateAttemptAsync(this IPaymentStore store, PaymentAttempt attempt, string version, CancellationToken cancellationToken)
    {
        try
        {
            await store.UpdateAttemptAsync(attempt, version, cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }
}
