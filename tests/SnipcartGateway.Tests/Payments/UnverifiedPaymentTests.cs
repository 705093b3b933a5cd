using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// Verification fails closed: a provider that declares its lookups carry the amount and our reference, and answers
/// "paid" without them, has verified nothing, so Snipcart is never told "processed".
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UnverifiedPaymentTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task A_paid_answer_without_the_amount_or_the_reference_is_never_confirmed(bool dropAmount, bool dropReference)
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _provider.AfterGet = seen => seen with
        {
            Amount = dropAmount ? null : seen.Amount,
            Reference = dropReference ? null : seen.Reference,
        };

        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);

        Assert.DoesNotContain("processed", _h.StatesToldFor(session.Id));
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.NotEqual(SnipcartPaymentState.Processed, attempt.ConfirmedState);
        Assert.Equal(PaymentVerification.MismatchCode, attempt.FailureCode);
    }

    [Fact]
    public async Task The_same_answer_with_amount_and_reference_is_confirmed()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);

        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);

        Assert.Contains("processed", _h.StatesToldFor(session.Id));
    }
}
