using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Infrastructure;

public static class PaymentInFlightTestExtensions
{
    /// <summary>Clears the session's payment in flight (see <see cref="PaymentInFlightRule"/>), so a second attempt can
    /// be started by force: what a session recorded before the rule allowed.</summary>
    public static async Task ForgetPaymentInFlightAsync(this IPaymentStore store, string sessionId)
    {
        var read = await store.GetOrAddSessionAsync(sessionId);
        read.Value.InFlightPaymentRef = null;
        read.Value.InFlightSince = null;
        await store.UpdateSessionAsync(read.Value, read.Version);
    }
}
