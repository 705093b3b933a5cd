using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// A refund Snipcart asked for whose request stopped between its record and the payment's reservation (a storage
/// failure, a crash): nothing was sent, and Snipcart's retry makes its own refund under another id. The refunds'
/// follow-up must drop it, never send it, or the shopper is refunded twice.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NeverReservedRefundTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Fact]
    public async Task A_refund_recorded_but_never_reserved_is_dropped_by_the_follow_up_and_never_sent()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var asked = 0;
        _provider.BeforeRefund = _ => { asked++; return Task.CompletedTask; };
        var now = _h.Clock.GetUtcNow();
        var orphan = new RefundRecord
        {
            PaymentRef = attempt.PaymentRef,
            RefundId = PaymentReferences.NewRefundId(),
            Amount = new Money(10m, attempt.Amount.Currency),
            RequestedAt = now,
            UpdatedAt = now,
        };
        await _h.Store.AddRefundAsync(orphan);
        var followUp = _h.Services.GetRequiredService<RefundFollowUpService>();

        // Fresh: the request that recorded it may still be reserving it.
        await followUp.RunAsync(CancellationToken.None);
        Assert.Equal(RefundState.Requested, (await _h.Store.GetRefundAsync(attempt.PaymentRef, orphan.RefundId))!.Value.State);

        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        await followUp.RunAsync(CancellationToken.None);
        await followUp.RunAsync(CancellationToken.None);

        Assert.Equal(0, asked);
        Assert.DoesNotContain(_h.State.SandboxPayRefunds, r => r.Payment == attempt.ProviderPaymentId);
        Assert.Equal(RefundState.Failed, (await _h.Store.GetRefundAsync(attempt.PaymentRef, orphan.RefundId))!.Value.State);
        await foreach (var open in _h.Store.ListOpenRefundsAsync())
        {
            Assert.NotEqual(orphan.RefundId, open.RefundId);
        }
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((0m, false), (after.RefundedAmount, after.NeedsAttention));
    }
}
