namespace SnipcartGateway.Domain;

/// <summary>Indexes an attempt by what support looks payments up with (session id, invoice number, cart id).
/// Insert-only; called once the attempt is recorded.</summary>
public interface IAttemptIndex
{
    Task IndexAsync(PaymentAttempt attempt, CancellationToken cancellationToken);
}
