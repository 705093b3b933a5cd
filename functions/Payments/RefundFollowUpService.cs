using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>
/// Follows refunds to the end, from the Reconcile timer: one the provider answered "pending", or whose answer never
/// came, is asked about again (the provider's refund lookup, or the same refund repeated under its idempotency key)
/// until it is final, with backoff; after Payments__MaxReconcileFailures checks it is flagged and still asked, at the
/// slowest pace. A refund that ends refused gives its reservation back once and flags the payment (Snipcart may have
/// been told it was under way). Refunds by hand are flagged once and wait for <see cref="ManualRefundService"/>.
/// Every write is conditional on the refund's or the attempt's ETag: a lost race leaves the refund for the next run.
/// </summary>
public sealed partial class RefundFollowUpService(
    IPaymentStore store,
    IProviderRegistry providers,
    AttentionFlagger flagger,
    TimeProvider time,
    IOptions<PaymentsOptions> options,
    ILogger<RefundFollowUpService> logger)
{
    private enum Outcome { Finished, StillOpen, ByHand, Flagged }

    public async Task<RefundFollowUpReport> RunAsync(CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.RefundFollowUpBudget);
        var open = new List<OpenRefundEntry>();
        await foreach (var entry in store.ListOpenRefundsAsync(cancellationToken))
        {
            open.Add(entry);
        }
        var counts = new Dictionary<Outcome, int>();
        foreach (var entry in open)
        {
            if (budget.IsCancellationRequested)
            {
                break;
            }
            var outcome = await FollowSafelyAsync(entry, budget.Token, cancellationToken);
            counts[outcome] = counts.GetValueOrDefault(outcome) + 1;
        }
        var report = new RefundFollowUpReport(open.Count, counts.GetValueOrDefault(Outcome.Finished),
            counts.GetValueOrDefault(Outcome.StillOpen), counts.GetValueOrDefault(Outcome.ByHand), counts.GetValueOrDefault(Outcome.Flagged));
        LogReport(logger, report.ToLogLine());
        return report;
    }

    private async Task<Outcome> FollowSafelyAsync(OpenRefundEntry entry, CancellationToken budget, CancellationToken cancellationToken)
    {
        try
        {
            return await FollowAsync(entry, budget, cancellationToken);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The run's budget ran out in a read before the provider was asked: the rest waits for the next run, as
            // unreached ones do.
            LogBudgetSpent(logger, entry.RefundId, entry.PaymentRef);
            return Outcome.StillOpen;
        }
        catch (ConcurrencyConflictException)
        {
            // Someone else (Snipcart's retry, the support page) changed it meanwhile: the next run reads it again.
            return Outcome.StillOpen;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !budget.IsCancellationRequested)
        {
            LogFollowUpFailed(logger, ex, entry.RefundId, entry.PaymentRef);
            return Outcome.StillOpen;
        }
    }

    /// <param name="cancellationToken">The run's budget: cuts the reads before the provider is asked.</param>
    /// <param name="hostCancellation">The host's: the only one the provider's call (bounded by its own attempt timeout)
    /// and what follows it obey, so a slow provider is recorded as no answer, counted and backed off, never cut
    /// silently by the budget.</param>
    private async Task<Outcome> FollowAsync(OpenRefundEntry entry, CancellationToken cancellationToken, CancellationToken hostCancellation)
    {
        var read = await store.GetRefundAsync(entry.PaymentRef, entry.RefundId, cancellationToken);
        var attempt = (await store.GetAttemptAsync(entry.PaymentRef, cancellationToken))?.Value;
        if (read is null || attempt is null)
        {
            // A row ahead of its refund: a request writing it right now, or one that crashed in between (nothing was
            // reserved or sent without the record). Dropped once it is older than any request can take.
            if (time.GetUtcNow() - entry.ListedAt > options.Value.ConfirmationLease)
            {
                await store.ForgetOpenRefundAsync(entry.PaymentRef, entry.RefundId, cancellationToken);
            }
            return Outcome.StillOpen;
        }
        var refund = read.Value;
        var provider = providers.Find(attempt.ProviderId);
        var now = time.GetUtcNow();
        if (RefundFollowUpPolicy.NeverReserved(refund.State, attempt.ReservedRefundIds.Contains(refund.RefundId),
            GiveBacks.IsGiveBackRefundId(refund.RefundId), now - refund.RequestedAt, options.Value.ConfirmationLease))
        {
            return await DropNeverReservedAsync(read, cancellationToken);
        }
        var step = RefundFollowUpPolicy.Decide(refund.State, now >= RefundFollowUpPolicy.DueAt(refund, options.Value.ReconcileAfter),
            provider?.Capabilities.RefundLookup ?? false, provider is not null,
            givingBack: attempt.IsGivingBack && refund.RefundId == attempt.GiveBackRefundId,
            keyMayHaveExpired: RefundFollowUpPolicy.KeyMayHaveExpired(refund.RequestedAt, now, provider?.Capabilities.IdempotencyKeyLifetime));
        switch (step)
        {
            case RefundFollowUpStep.Wait:
                return Outcome.StillOpen;
            case RefundFollowUpStep.Forget:
                if (GiveBacks.IsGiveBackRefundId(refund.RefundId) && refund.Resolution == ManualRefundOutcome.Done)
                {
                    // A give-back a person made by hand: recorded on its attempt (again, if a crash stopped the support
                    // action between the refund's write and the attempt's).
                    await flagger.ChangeAttemptAsync(entry.PaymentRef, a => GiveBacks.SettleByHand(a, refund.RefundId, time.GetUtcNow()), cancellationToken);
                }
                await store.ForgetOpenRefundAsync(entry.PaymentRef, entry.RefundId, cancellationToken);
                return Outcome.Finished;
            case RefundFollowUpStep.ReleaseAndForget:
                await flagger.ReleaseAsync(entry.PaymentRef, refund, cancellationToken);
                await store.ForgetOpenRefundAsync(entry.PaymentRef, entry.RefundId, cancellationToken);
                return Outcome.Finished;
            case RefundFollowUpStep.AwaitMerchant:
                await FlagByHandOnceAsync(read, cancellationToken);
                return Outcome.ByHand;
            case RefundFollowUpStep.HandOver:
                return await HandOverAsync(read, cancellationToken);
            default:
                return await AskAgainAsync(provider!, attempt, read, step, hostCancellation);
        }
    }

    /// <summary>Drops a refund that was never reserved (so never sent): recorded refused, off the list, nothing freed.</summary>
    private async Task<Outcome> DropNeverReservedAsync(Versioned<RefundRecord> read, CancellationToken cancellationToken)
    {
        var refund = read.Value;
        refund.State = RefundState.Failed;
        refund.FailureMessage = "Never reserved on its payment, so never sent: the request that recorded it stopped before.";
        refund.NextCheckAt = null;
        refund.UpdatedAt = time.GetUtcNow();
        await store.UpdateRefundAsync(refund, read.Version, cancellationToken);
        await store.ForgetOpenRefundAsync(refund.PaymentRef, refund.RefundId, cancellationToken);
        LogNeverReserved(logger, refund.RefundId, refund.PaymentRef);
        return Outcome.Finished;
    }

    /// <summary>A refund never answered whose idempotency key the provider may have forgotten: not repeated (that
    /// could refund twice) but listed for a person, who checks the provider's dashboard and marks it done or dropped,
    /// as any refund by hand; its amount stays reserved until then.</summary>
    private async Task<Outcome> HandOverAsync(Versioned<RefundRecord> read, CancellationToken cancellationToken)
    {
        var refund = read.Value;
        // The payment first: a refund written ManualRefundRequired is not handed over again, so a crash between the two
        // writes must leave the payment flagged (a refund by hand is only seen through its payment's flag). Always on
        // the payment, even if its flag was raised for this refund before (refund_unresolved) and a person lowered it
        // since: the refund now waits for a person's "done" or "dropped", which lowers it again.
        await flagger.ChangeAttemptAsync(refund.PaymentRef, attempt =>
        {
            var code = attempt.FailureCode is null or RefundFollowUpPolicy.RefundUnresolved ? RefundFollowUpPolicy.ManualRefundRequired : attempt.FailureCode;
            var changed = !attempt.NeedsAttention || attempt.FailureCode != code;
            attempt.NeedsAttention = true;
            attempt.FailureCode = code;
            return changed;
        }, cancellationToken);
        refund.State = RefundState.ManualRefundRequired;
        refund.FailureMessage = KeyExpiredMessage;
        refund.NextCheckAt = null;
        refund.UpdatedAt = time.GetUtcNow();
        refund.NeedsAttention = true;
        await store.UpdateRefundAsync(refund, read.Version, cancellationToken);
        LogHandedOver(logger, refund.RefundId, refund.PaymentRef);
        return Outcome.ByHand;
    }

    /// <summary>What a refund handed over for its expired key says to the person who settles it.</summary>
    public const string KeyExpiredMessage = "No answer from the provider before its idempotency key expired: check its dashboard for this refund, then mark it done or dropped.";

    /// <summary>A refund to make by hand flags its payment once (the merchant may mark the flag handled before
    /// making the refund; it is not raised again every minute).</summary>
    private async Task FlagByHandOnceAsync(Versioned<RefundRecord> read, CancellationToken cancellationToken)
    {
        var refund = read.Value;
        if (refund.NeedsAttention)
        {
            return;
        }
        await flagger.FlagAsync(refund.PaymentRef, RefundFollowUpPolicy.ManualRefundRequired, cancellationToken);
        refund.NeedsAttention = true;
        await store.UpdateRefundAsync(refund, read.Version, cancellationToken);
        LogByHand(logger, refund.RefundId, refund.Amount.ToString(), refund.PaymentRef);
    }

    private async Task<Outcome> AskAgainAsync(IPaymentProvider provider, PaymentAttempt attempt, Versioned<RefundRecord> read, RefundFollowUpStep step, CancellationToken cancellationToken)
    {
        var (state, providerRefundId, message) = await AskProviderAsync(provider, attempt, read.Value, step, cancellationToken);
        // The provider has answered (or its attempt timed out): recorded under the host's cancellation only, never
        // cut by the run's budget.
        return await RecordAnswerAsync(provider, read, state, providerRefundId, message, cancellationToken);
    }

    private async Task<Outcome> RecordAnswerAsync(IPaymentProvider provider, Versioned<RefundRecord> read, RefundState? state, string? providerRefundId, string? message, CancellationToken cancellationToken)
    {
        var refund = read.Value;
        var now = time.GetUtcNow();
        refund.UpdatedAt = now;
        if (providerRefundId is not null)
        {
            refund.ProviderRefundId = providerRefundId;
        }
        refund.FailureMessage = message;
        if (state is RefundState.Succeeded or RefundState.Failed)
        {
            if (state == RefundState.Failed)
            {
                // Snipcart was told the refund is under way (or could not be told anything): the money stays with the
                // shopper's payment, and the merchant must know. Flagged before the refund is written final: a refund
                // already Failed is only freed by a later run, never flagged.
                await flagger.FlagAsync(refund.PaymentRef, RefundFollowUpPolicy.RefundFailedAfterPending, cancellationToken);
            }
            refund.State = state.Value;
            refund.NextCheckAt = null;
            await store.UpdateRefundAsync(refund, read.Version, cancellationToken);
            if (state == RefundState.Failed)
            {
                await flagger.ReleaseAsync(refund.PaymentRef, refund, cancellationToken);
                LogRefused(logger, provider.Id, refund.RefundId, refund.PaymentRef, message ?? "");
            }
            await store.ForgetOpenRefundAsync(refund.PaymentRef, refund.RefundId, cancellationToken);
            return Outcome.Finished;
        }

        if (state == RefundState.Pending)
        {
            refund.State = RefundState.Pending;
        }
        refund.FollowUpChecks++;
        refund.NextCheckAt = now + RefundFollowUpPolicy.Backoff(refund.FollowUpChecks, options.Value.ReconcileAfter, options.Value.ReconcileMaxBackoff);
        var flag = RefundFollowUpPolicy.ShouldFlag(refund.FollowUpChecks, options.Value.MaxReconcileFailures) && !refund.NeedsAttention;
        refund.NeedsAttention |= flag;
        await store.UpdateRefundAsync(refund, read.Version, cancellationToken);
        if (flag)
        {
            await flagger.FlagAsync(refund.PaymentRef, RefundFollowUpPolicy.RefundUnresolved, cancellationToken);
            LogUnresolved(logger, refund.RefundId, refund.PaymentRef, refund.FollowUpChecks);
            return Outcome.Flagged;
        }
        return Outcome.StillOpen;
    }

    /// <summary>The provider's word on the refund: a final or pending state, or null state when it gave none.</summary>
    private async Task<(RefundState? State, string? ProviderRefundId, string? Message)> AskProviderAsync(
        IPaymentProvider provider, PaymentAttempt attempt, RefundRecord refund, RefundFollowUpStep step, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ReconcileAttemptTimeout);
        try
        {
            var answer = step == RefundFollowUpStep.LookUp
                ? await provider.GetRefundAsync(LookupFor(attempt, refund), timeout.Token)
                : await provider.RefundAsync(Repeat(attempt, refund), timeout.Token);
            return (answer.Status switch
            {
                RefundStatus.Succeeded => RefundState.Succeeded,
                RefundStatus.Failed => RefundState.Failed,
                _ => RefundState.Pending,
            }, answer.ProviderRefundId, answer.FailureMessage);
        }
        catch (ProviderException ex) when (step == RefundFollowUpStep.Repeat && ex.IsRejection && ex.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            // The refund itself refused (as the refund webhook reads a 4xx): the provider will not make it.
            return (RefundState.Failed, null, ex.ErrorCode ?? $"HTTP {(int?)ex.StatusCode}");
        }
        catch (ProviderException ex)
        {
            LogNoAnswer(logger, ex, provider.Id, refund.RefundId, refund.PaymentRef);
            return (null, null, ex.StatusCode is { } status ? $"HTTP {(int)status}" : "no answer");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, null, "no answer");
        }
    }

    /// <summary>The provider's lookup of one of the attempt's refunds.</summary>
    internal static ProviderRefundLookup LookupFor(PaymentAttempt attempt, RefundRecord refund) => new()
    {
        PaymentRef = attempt.PaymentRef,
        RefundRef = refund.RefundId,
        Mode = attempt.Mode,
        ProviderPaymentId = attempt.ProviderPaymentId ?? "",
        ProviderRefundId = refund.ProviderRefundId,
        Amount = refund.Amount,
        ProviderData = attempt.ProviderData,
    };

    private static ProviderRefundRequest Repeat(PaymentAttempt attempt, RefundRecord refund) => new()
    {
        PaymentRef = attempt.PaymentRef,
        RefundRef = refund.RefundId,
        Mode = attempt.Mode,
        ProviderPaymentId = attempt.ProviderPaymentId ?? "",
        Amount = refund.Amount,
        PaymentAmount = attempt.Amount,
        ProviderData = attempt.ProviderData,
        TransactionId = attempt.TransactionId,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund {RefundId} of {PaymentRef} was recorded but never reserved, so never sent; dropped (Snipcart's retry made its own)")]
    private static partial void LogNeverReserved(ILogger logger, string refundId, string paymentRef);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refund {RefundId} of {PaymentRef} got no answer before the provider's idempotency key expired: not repeated, listed for a person to check and settle")]
    private static partial void LogHandedOver(ILogger logger, string refundId, string paymentRef);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund follow-up ran out of its budget at refund {RefundId} of {PaymentRef}; the next run goes on")]
    private static partial void LogBudgetSpent(ILogger logger, string refundId, string paymentRef);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Report}")]
    private static partial void LogReport(ILogger logger, string report);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following refund {RefundId} of {PaymentRef} failed; the next run tries again")]
    private static partial void LogFollowUpFailed(ILogger logger, Exception exception, string refundId, string paymentRef);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund {RefundId} of {Amount} for {PaymentRef} must be made by hand in the provider's dashboard; flagged")]
    private static partial void LogByHand(ILogger logger, string refundId, string amount, string paymentRef);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Provider} refused refund {RefundId} of {PaymentRef} after it was under way ({Reason}); its amount is freed and the payment flagged")]
    private static partial void LogRefused(ILogger logger, string provider, string refundId, string paymentRef, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} gave no answer about refund {RefundId} of {PaymentRef}; asked again later")]
    private static partial void LogNoAnswer(ILogger logger, Exception exception, string provider, string refundId, string paymentRef);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refund {RefundId} of {PaymentRef} is still not final after {Checks} checks; flagged, and still followed")]
    private static partial void LogUnresolved(ILogger logger, string refundId, string paymentRef, int checks);
}
