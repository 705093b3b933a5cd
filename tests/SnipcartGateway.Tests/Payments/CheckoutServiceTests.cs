using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>Issue 9, item 11: whatever a provider's create throws, the shopper gets a problem, never a 500.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CheckoutServiceTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private async Task<(GatewayProblemException Problem, PaymentAttempt Attempt)> StartFailingAsync(Exception thrown)
    {
        string? paymentRef = null;
        _provider.BeforeCreate = request =>
        {
            paymentRef = request.PaymentRef;
            throw thrown;
        };
        var (_, token) = _h.NewSession();
        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None));
        return (problem, await _h.AttemptAsync(paymentRef!));
    }

    [Fact]
    public async Task An_unexpected_error_from_the_providers_create_fails_the_attempt_and_answers_like_a_refusal()
    {
        var (refused, refusedAttempt) = await StartFailingAsync(new ProviderException("sandboxpay", "Refused.", System.Net.HttpStatusCode.BadRequest));
        // An adapter bug, or an answer it could not read: not a ProviderException.
        var (broken, brokenAttempt) = await StartFailingAsync(new FormatException("Unexpected character in the provider's answer."));

        Assert.Equal(refused.Status, broken.Status);
        Assert.Equal(refused.Code, broken.Code);
        Assert.Equal(refused.Title, broken.Title);
        Assert.InRange(broken.Status, 400, 599);

        Assert.Equal("provider_create_failed", refusedAttempt.FailureCode);
        Assert.Equal("provider_error", brokenAttempt.FailureCode);
        Assert.Equal(PaymentStatus.Failed, brokenAttempt.Status);
        Assert.True(brokenAttempt.Abandoned);
        Assert.True(brokenAttempt.IsSettled);
    }
}
