using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>What a person's "done" or "dropped" is told when there is nothing to resolve.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ManualRefundServiceTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Theory]
    [InlineData(ManualRefundOutcome.Done)]
    [InlineData(ManualRefundOutcome.Dropped)]
    public async Task A_payment_that_never_had_a_refund_by_hand_is_told_so_and_nothing_changes(ManualRefundOutcome outcome)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var manual = _h.Services.GetRequiredService<ManualRefundService>();

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            manual.ResolveAsync(new(attempt.PaymentRef, null, outcome, "support-key", null), CancellationToken.None));

        Assert.Equal((409, "no_manual_refund"), (problem.Status, problem.Code));
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((0m, false), (after.RefundedAmount, after.NeedsAttention));
        Assert.Empty(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
    }
}
