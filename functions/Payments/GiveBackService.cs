using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>
/// Gives back money an attempt took that the order does not keep (a duplicate payment, a payment that failed
/// verification), through the provider's own refund, under one refund id per attempt
/// (<see cref="GiveBacks.RefundIdFor"/>) that is also the provider's idempotency key: a retry, a race or a crash
/// asks again for the same refund and never starts a second one. The refund is recorded in the same ledger as
/// Snipcart's refunds, before the attempt that reserves it is written. A provider without a refund API, or one that
/// refuses, leaves the attempt flagged for a person (<c>refund_by_hand</c>, <c>refund_refused</c>).
/// </summary>
public sealed class GiveBackService(IPaymentStore store, TimeProvider time, PaymentMetrics metrics, IOptions<PaymentsOptions> options, ILogger<GiveBackService> logger)
{
    /// <summary>The refund record for an attempt about to be written with a give-back (idempotent). What goes back is
    /// what the provider says it took (a payment that failed verification may be for another amount), else the
    /// order's amount.</summary>
    public async Task RecordAsync(PaymentAttempt attempt, Money? taken, CancellationToken cancellationToken)
    {
        var refundId = GiveBacks.RefundIdFor(attempt.PaymentRef);
        if (await store.GetRefundAsync(attempt.PaymentRef, refundId, cancellationToken) is not null)
        {
            return;
        }
        var now = time.GetUtcNow();
        try
        {
            await store.AddRefundAsync(new RefundRecord
            {
                PaymentRef = attempt.PaymentRef,
                RefundId = refundId,
                Amount = taken ?? attempt.Amount,
                RequestedAt = now,
                UpdatedAt = now,
            }, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Recorded by a racing pass: the same refund.
        }
    }

    /// <summary>Asks the provider to give the money back and records its answer on the refund and the attempt.</summary>
    public async Task<FinishResult> RunAsync(string paymentRef, IPaymentProvider? provider, CancellationToken cancellationToken)
    {
        var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
        if (read is null || !read.Value.IsGivingBack)
        {
            return new FinishResult(read is null ? FinishOutcome.NotFound : FinishOutcome.Closed, read?.Value);
        }
        var attempt = read.Value;
        await RecordAsync(attempt, null, cancellationToken);
        var refund = (await store.GetRefundAsync(paymentRef, attempt.GiveBackRefundId!, cancellationToken))!;
        if (Recorded(refund.Value) is { } recorded)
        {
            // The refund already has its final word (a pass that crashed before writing the attempt, a person's answer):
            // the attempt follows it; the provider is not asked again.
            return await RecordAttemptAsync(paymentRef, recorded, refund.Value.FollowUpChecks, false, cancellationToken);
        }
        var answer = provider is { Capabilities.Refunds: true }
            ? await AskProviderAsync(provider, attempt, refund.Value)
            : new Answer(GiveBackState.ByHand, RefundState.ManualRefundRequired, null, $"{attempt.ProviderId} has no refund API");
        if (answer.Attempt == GiveBackState.Requested)
        {
            return new FinishResult(FinishOutcome.Unreachable, attempt);
        }
        var (stored, checks, unresolved) = await RecordRefundAsync(refund, answer);
        return await RecordAttemptAsync(paymentRef, stored, checks, unresolved, cancellationToken);
    }

    private sealed record Answer(GiveBackState Attempt, RefundState Refund, string? ProviderRefundId, string? Message);

    /// <summary>What a give-back handed over for its expired key says to the person who makes it (a give-back is owed
    /// to the shopper: it cannot be dropped).</summary>
    public const string KeyExpiredMessage = "No answer from the provider before its idempotency key expired: check its dashboard for this refund, make it if it is not there, then mark it done.";

    /// <summary>Where the give-back stands by its refund's recorded final state; null while it is still open.</summary>
    private static Answer? Recorded(RefundRecord refund) => refund.State switch
    {
        RefundState.Succeeded => new(GiveBackState.Done, refund.State, refund.ProviderRefundId, null),
        RefundState.Failed => new(GiveBackState.Refused, refund.State, refund.ProviderRefundId, refund.FailureMessage),
        RefundState.ManualRefundRequired => new(GiveBackState.ByHand, refund.State, refund.ProviderRefundId, refund.FailureMessage),
        _ => null,
    };

    private async Task<Answer> AskProviderAsync(IPaymentProvider provider, PaymentAttempt attempt, RefundRecord refund)
    {
        try
        {
            // Not cancelled by the caller going away: the provider's answer must be recorded. A refund the provider
            // accepted as pending is looked up where it can be (repeating it would only replay "pending" under the
            // key, and outside the provider's key window could make a second one); all of what was taken goes back:
            // for the provider it is the whole payment.
            var lookUp = refund.State == RefundState.Pending && provider.Capabilities.RefundLookup;
            if (!lookUp && RefundFollowUpPolicy.KeyMayHaveExpired(refund.RequestedAt, time.GetUtcNow(), provider.Capabilities.IdempotencyKeyLifetime))
            {
                // Repeating it now could give the money back twice: a person checks the provider's dashboard.
                return new(GiveBackState.ByHand, RefundState.ManualRefundRequired, null, KeyExpiredMessage);
            }
            var result = lookUp
                ? await provider.GetRefundAsync(RefundFollowUpService.LookupFor(attempt, refund), CancellationToken.None)
                : await provider.RefundAsync(RefundService.RefundRequestFor(attempt, refund, refund.Amount), CancellationToken.None);
            return result.Status switch
            {
                RefundStatus.Succeeded => new(GiveBackState.Done, RefundState.Succeeded, result.ProviderRefundId, null),
                RefundStatus.Failed => new(GiveBackState.Refused, RefundState.Failed, result.ProviderRefundId, result.FailureMessage),
                _ => new(GiveBackState.Pending, RefundState.Pending, result.ProviderRefundId, null),
            };
        }
        catch (ProviderException ex) when (ex.IsRejection && ex.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            logger.LogWarning(ex, "{Provider} refused to give back {PaymentRef} ({Status} {Code})", provider.Id, attempt.PaymentRef, ex.StatusCode, ex.ErrorCode);
            return new(GiveBackState.Refused, RefundState.Failed, null, ex.ErrorCode ?? $"HTTP {(int?)ex.StatusCode}");
        }
        catch (ProviderException ex)
        {
            // No answer, or the key in use: the provider may have refunded. Asked again under the same id.
            logger.LogWarning(ex, "{Provider} gave no answer giving back {PaymentRef}; it will be asked again", provider.Id, attempt.PaymentRef);
            return new(GiveBackState.Requested, RefundState.Requested, null, null);
        }
    }

    /// <summary>Records the provider's answer on the refund. A pending one counts its checks, as any refund followed
    /// (<see cref="RefundFollowUpPolicy"/>), and is flagged once they reach the cap. Returns the answer the refund now
    /// holds (after a lost race, the racing pass's, re-read), the count, and whether this answer flagged it.</summary>
    private async Task<(Answer Stored, int Checks, bool Unresolved)> RecordRefundAsync(Versioned<RefundRecord> refund, Answer answer)
    {
        var record = refund.Value;
        record.State = answer.Refund;
        record.ProviderRefundId = answer.ProviderRefundId ?? record.ProviderRefundId;
        record.FailureMessage = answer.Message;
        record.UpdatedAt = time.GetUtcNow();
        var unresolved = false;
        if (answer.Refund == RefundState.Pending)
        {
            record.FollowUpChecks++;
            unresolved = RefundFollowUpPolicy.ShouldFlag(record.FollowUpChecks, options.Value.MaxReconcileFailures) && !record.NeedsAttention;
            record.NeedsAttention |= unresolved;
        }
        try
        {
            await store.UpdateRefundAsync(record, refund.Version, CancellationToken.None);
        }
        catch (ConcurrencyConflictException)
        {
            // A racing pass (or a person) recorded an answer to the same refund id: the attempt follows what is stored.
            var current = (await store.GetRefundAsync(record.PaymentRef, record.RefundId, CancellationToken.None))?.Value;
            var stored = current is null ? null : Recorded(current);
            return (stored ?? new(GiveBackState.Pending, RefundState.Pending, current?.ProviderRefundId, null), current?.FollowUpChecks ?? record.FollowUpChecks, false);
        }
        return (answer, record.FollowUpChecks, unresolved);
    }

    /// <summary>Writes where the give-back stands; a refusal frees the reservation and flags the attempt for a person,
    /// money given back needs nobody.</summary>
    private async Task<FinishResult> RecordAttemptAsync(string paymentRef, Answer answer, int pendingChecks, bool unresolved, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await store.GetAttemptAsync(paymentRef, CancellationToken.None);
            if (read is null || !read.Value.IsGivingBack)
            {
                return new FinishResult(FinishOutcome.Closed, read?.Value);
            }
            var attempt = read.Value;
            var now = time.GetUtcNow();
            attempt.GiveBackState = answer.Attempt;
            switch (answer.Attempt)
            {
                case GiveBackState.Done:
                    // A duplicate given back needs nobody; a payment that failed verification stays flagged: why it
                    // differed (a promotion code, a tampered amount) is for the merchant to see.
                    attempt.NeedsAttention = attempt.GiveBackReason != FlagCodes.DuplicatePayment;
                    break;
                case GiveBackState.Pending:
                    // As any refund left pending: backoff, and a person is asked to look once the checks reach the cap
                    // (the attempt is still followed).
                    var settings = options.Value;
                    attempt.NextCheckAt = now + RefundFollowUpPolicy.Backoff(pendingChecks, settings.ReconcileAfter, settings.ReconcileMaxBackoff);
                    attempt.NeedsAttention |= unresolved;
                    break;
                case GiveBackState.Refused:
                    attempt.ReleaseRefund(attempt.GiveBackRefundId!, attempt.Amount.Amount, now);
                    attempt.NeedsAttention = true;
                    attempt.FailureCode = FlagCodes.RefundRefused;
                    break;
                case GiveBackState.ByHand:
                    attempt.NeedsAttention = true;
                    attempt.FailureCode = FlagCodes.RefundByHand;
                    break;
            }
            attempt.UpdatedAt = now;
            if (await store.TryUpdateAttemptAsync(attempt, read.Version, CancellationToken.None))
            {
                Log(attempt, answer);
                if (unresolved)
                {
                    metrics.RecordAttention(RefundFollowUpPolicy.RefundUnresolved, attempt.ProviderId);
                    logger.LogError("Giving back {PaymentRef} ({Reason}) is still pending at {Provider} after {Checks} checks; flagged, and still followed", attempt.PaymentRef, attempt.GiveBackReason, attempt.ProviderId, pendingChecks);
                }
                return new FinishResult(attempt.ConfirmedState is null ? FinishOutcome.Closed : FinishOutcome.Confirmed, attempt);
            }
        }
    }

    private void Log(PaymentAttempt attempt, Answer answer)
    {
        switch (answer.Attempt)
        {
            case GiveBackState.Done:
                logger.LogInformation("Gave back {Amount} of {PaymentRef} ({Reason}) as refund {RefundId}", attempt.Amount, attempt.PaymentRef, attempt.GiveBackReason, attempt.GiveBackRefundId);
                break;
            case GiveBackState.Refused:
                metrics.RecordAttention(FlagCodes.RefundRefused, attempt.ProviderId);
                logger.LogError("{Provider} refused to give back {Amount} of {PaymentRef} ({Reason}): {Message}; a person must refund it", attempt.ProviderId, attempt.Amount, attempt.PaymentRef, attempt.GiveBackReason, answer.Message);
                break;
            case GiveBackState.ByHand:
                metrics.RecordAttention(FlagCodes.RefundByHand, attempt.ProviderId);
                logger.LogError("{Amount} of {PaymentRef} ({Reason}) must be given back by hand in {Provider}'s dashboard (refund {RefundId})", attempt.Amount, attempt.PaymentRef, attempt.GiveBackReason, attempt.ProviderId, attempt.GiveBackRefundId);
                break;
        }
    }
}
