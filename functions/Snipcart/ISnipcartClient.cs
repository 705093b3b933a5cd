using SnipcartGateway.Domain;

namespace SnipcartGateway.Snipcart;

/// <summary>Snipcart's custom payment gateway API, as the gateway uses it.</summary>
public interface ISnipcartClient
{
    /// <summary>
    /// True when Snipcart answers 2xx for the token, false when it answers 4xx (unknown or expired token).
    /// Throws <see cref="SnipcartException"/> when Snipcart cannot be reached or answers 5xx: that is not a
    /// verdict on the token.
    /// </summary>
    Task<bool> ValidatePublicTokenAsync(string publicToken, CancellationToken cancellationToken = default);

    /// <summary>The session behind a public token, or null when Snipcart answers 4xx for it.</summary>
    Task<SnipcartPaymentSession?> GetPaymentSessionAsync(string publicToken, CancellationToken cancellationToken = default);

    /// <summary>Confirms a payment (any state) with the secret key of <paramref name="mode"/>. Never retried:
    /// the call is not idempotent.</summary>
    Task<SnipcartPaymentResponse> CreatePaymentAsync(PaymentMode mode, SnipcartPaymentRequest request, CancellationToken cancellationToken = default);
}
