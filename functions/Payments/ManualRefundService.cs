using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Payments;

/// <summary>Who resolved a manual refund and why (recorded on the refund).</summary>
public sealed record ManualRefundResolution(string PaymentRef, string? RefundId, ManualRefundOutcome Outcome, string By, string? Note);

/// <summary>
/// A refund Snipcart asked for on a provider without a refund API is recorded as to be made by hand, its amount
/// reserved. The merchant then says it was made (the amount stays counted as refunded) or dropped (the amount is
/// freed). Exactly once: the refund moves out of ManualRefundRequired in one write conditional on its ETag, so two
/// clicks, or two people, resolve it once; the loser gets 409 <c>refund_already_resolved</c>. The freeing is guarded
/// by the attempt's released ids, so a retry after a crash never frees twice.
/// </summary>
public sealed class ManualRefundService(IPaymentStore store, AttentionFlagger flagger, TimeProvider time, ILogger<ManualRefundService> logger)
{
    public async Task<RefundRecord> ResolveAsync(ManualRefundResolution resolution, CancellationToken cancellationToken)
    {
        var attempt = (await store.GetAttemptAsync(resolution.PaymentRef, cancellationToken))?.Value
            ?? throw new GatewayProblemException(404, "payment_not_found", "There is no such payment.");
        var read = await FindAsync(attempt.PaymentRef, resolution.RefundId, cancellationToken);
        var refund = read.Value;
        if (refund.State != RefundState.ManualRefundRequired)
        {
            throw AlreadyResolved(refund);
        }
        if (resolution.Outcome == ManualRefundOutcome.Dropped && GiveBacks.IsGiveBackRefundId(refund.RefundId))
        {
            // Money the order did not keep is owed to the shopper: dropping it would leave it on nobody's list.
            throw new GatewayProblemException(409, "give_back_cannot_be_dropped",
                "This is money the order did not keep, owed to the shopper: give it back in the provider's dashboard and mark it done (if it went back another way, say how in the note).");
        }
        var now = time.GetUtcNow();
        refund.State = resolution.Outcome == ManualRefundOutcome.Done ? RefundState.Succeeded : RefundState.Failed;
        refund.Resolution = resolution.Outcome;
        refund.ResolvedBy = resolution.By;
        refund.ResolvedAt = now;
        refund.ResolutionNote = resolution.Note;
        refund.UpdatedAt = now;
        try
        {
            await store.UpdateRefundAsync(refund, read.Version, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            var current = await store.GetRefundAsync(refund.PaymentRef, refund.RefundId, cancellationToken);
            throw current is null ? new GatewayProblemException(404, "refund_not_found", "There is no such refund.") : AlreadyResolved(current.Value);
        }
        logger.LogInformation("Manual refund {RefundId} of {PaymentRef} marked {Outcome} by {By}", refund.RefundId, refund.PaymentRef, resolution.Outcome, resolution.By);
        await SettleAsync(refund, CancellationToken.None);
        return refund;
    }

    /// <summary>What follows the resolution: a dropped refund's amount freed, a give-back made by hand recorded on its
    /// attempt (<see cref="GiveBacks.SettleByHand"/>; the timer repeats it after a crash), the flag lowered once no
    /// refund is left to make by hand, the refund off the timer's list. Each step is idempotent (the timer repeats the freeing of a dropped refund still
    /// on its list).</summary>
    private async Task SettleAsync(RefundRecord refund, CancellationToken cancellationToken)
    {
        if (refund.State == RefundState.Failed)
        {
            await flagger.ReleaseAsync(refund.PaymentRef, refund, cancellationToken);
        }
        if (GiveBacks.IsGiveBackRefundId(refund.RefundId) && refund.Resolution == ManualRefundOutcome.Done)
        {
            await flagger.ChangeAttemptAsync(refund.PaymentRef, attempt => GiveBacks.SettleByHand(attempt, refund.RefundId, time.GetUtcNow()), cancellationToken);
        }
        var stillByHand = (await store.ListRefundsAsync(refund.PaymentRef, cancellationToken)).Any(r => r.State == RefundState.ManualRefundRequired);
        if (!stillByHand)
        {
            await flagger.ChangeAttemptAsync(refund.PaymentRef, attempt =>
            {
                if (!attempt.NeedsAttention || attempt.FailureCode != RefundFollowUpPolicy.ManualRefundRequired)
                {
                    return false;
                }
                attempt.NeedsAttention = false;
                return true;
            }, cancellationToken);
        }
        await store.ForgetOpenRefundAsync(refund.PaymentRef, refund.RefundId, cancellationToken);
    }

    /// <summary>The refund named, or the payment's only refund to make by hand.</summary>
    private async Task<Versioned<RefundRecord>> FindAsync(string paymentRef, string? refundId, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(refundId))
        {
            return await store.GetRefundAsync(paymentRef, refundId, cancellationToken)
                ?? throw new GatewayProblemException(404, "refund_not_found", "This payment has no such refund.");
        }
        var refunds = await store.ListRefundsAsync(paymentRef, cancellationToken);
        var byHand = refunds.Where(r => r.State == RefundState.ManualRefundRequired).ToList();
        return byHand.Count switch
        {
            // A second click (or a second person) after the only one was resolved hears that, as when it names it.
            0 => throw (refunds.Where(r => r.Resolution is not null).MaxBy(r => r.ResolvedAt) is { } resolved
                ? AlreadyResolved(resolved)
                : new GatewayProblemException(409, "no_manual_refund", "This payment has no refund waiting to be made by hand.")),
            1 => await store.GetRefundAsync(paymentRef, byHand[0].RefundId, cancellationToken)
                ?? throw new GatewayProblemException(404, "refund_not_found", "This payment has no such refund."),
            _ => throw new GatewayProblemException(409, "refund_id_required",
                $"This payment has {byHand.Count} refunds to make by hand: name one with refundId."),
        };
    }

    private static GatewayProblemException AlreadyResolved(RefundRecord refund)
    {
        var problem = new GatewayProblemException(409, "refund_already_resolved",
            $"This refund is no longer waiting to be made by hand (it is {refund.State}{(refund.Resolution is { } r ? ", marked " + r.ToString().ToLowerInvariant() : "")}).");
        problem.Extensions["refundId"] = refund.RefundId;
        return problem;
    }
}
