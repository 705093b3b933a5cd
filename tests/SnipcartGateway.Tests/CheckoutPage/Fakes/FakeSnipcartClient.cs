using System.Collections.Concurrent;
using System.Net;
using SnipcartGateway.Domain;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Tests.CheckoutPage.Fakes;

/// <summary>
/// Snipcart as the checkout page tests need it: tokens mapped to sessions, and tokens for which Snipcart fails.
/// Thread-safe: one gateway serves every test of a class, and each test registers its own tokens.
/// </summary>
public sealed class FakeSnipcartClient : ISnipcartClient
{
    private readonly ConcurrentDictionary<string, SnipcartPaymentSession> _sessions = new();
    private readonly ConcurrentDictionary<string, bool> _failing = new();
    private int _validateCalls;

    public int ValidateCalls => Volatile.Read(ref _validateCalls);

    /// <summary>Registers the session under a new token and returns the token.</summary>
    public string Add(SnipcartPaymentSession session)
    {
        var token = "tok_" + Guid.NewGuid().ToString("N");
        _sessions[token] = session;
        return token;
    }

    /// <summary>A token for which Snipcart answers 503.</summary>
    public string AddFailing()
    {
        var token = "tok_fail_" + Guid.NewGuid().ToString("N");
        _failing[token] = true;
        return token;
    }

    public Task<bool> ValidatePublicTokenAsync(string publicToken, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _validateCalls);
        return Task.FromResult(_sessions.ContainsKey(publicToken));
    }

    public Task<SnipcartPaymentSession?> GetPaymentSessionAsync(string publicToken, CancellationToken cancellationToken = default)
    {
        if (_failing.ContainsKey(publicToken))
        {
            throw new SnipcartException("Snipcart answered 503.", HttpStatusCode.ServiceUnavailable, "upstream unavailable");
        }
        return Task.FromResult(_sessions.TryGetValue(publicToken, out var session) ? session : null);
    }

    public Task<SnipcartPaymentResponse> CreatePaymentAsync(PaymentMode mode, SnipcartPaymentRequest request, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The checkout page tests never confirm payments with Snipcart.");
}
