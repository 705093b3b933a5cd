using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Payments;

public sealed record RefundCommand(string PaymentRef, string? Key, decimal? Amount, string? PaymentId, string? PublicToken);

/// <summary>
/// Refunds through the provider that took the payment. Snipcart sends no idempotency key, so a request for the
/// same amount of the same payment within <see cref="PaymentsOptions.RefundRetryWindow"/> is taken as a retry
/// and answered with the first one's refundId. Choosing the refund and reserving its amount is one write
/// conditional on the attempt's ETag, so neither a retry nor two refunds racing can refund twice or too much.
/// Our refundId is the provider's idempotency key: a retry whose first try has no known outcome (a timeout, a
/// crash) calls the provider again with the same key, never with a new one.
/// </summary>
public sealed class RefundService(
    IPaymentStore store,
    IProviderRegistry providers,
    ISnipcartClient snipcart,
    TimeProvider time,
    IOptions<PaymentsOptions> options,
    ILogger<RefundService> logger)
{
    public async Task<string> RefundAsync(RefundCommand command, CancellationToken cancellationToken)
    {
        var requested = await AuthorizeAsync(command, cancellationToken);
        while (true)
        {
            var read = await store.GetAttemptAsync(command.PaymentRef, cancellationToken) ?? throw NotFound();
            var attempt = read.Value;
            CheckRefundable(command, attempt, requested);
            var currency = attempt.Amount.Currency;

            var now = time.GetUtcNow();
            var retryOf = await FindRetriedRefundAsync(attempt, requested, now, cancellationToken);
            var provider = providers.Find(attempt.ProviderId)
                ?? throw new GatewayProblemException(409, "provider_unavailable", $"The provider '{attempt.ProviderId}' is no longer configured.");
            if (retryOf is not null)
            {
                // A retry gets the first request's answer; one whose outcome is unknown asks the provider again
                // under the same idempotency key, unless the provider may have forgotten it (a retry window reaching
                // its key lifetime less the margin): then a repeat could refund twice, and the timer's follow-up
                // hands the refund to a person instead (or looks a pending one up).
                return retryOf.State switch
                {
                    RefundState.ManualRefundRequired when provider.Capabilities.Refunds => throw WithAPerson(provider.DisplayName, retryOf.RefundId),
                    RefundState.ManualRefundRequired => throw RefundNotSupported(provider.DisplayName, retryOf.RefundId),
                    RefundState.Succeeded => retryOf.RefundId,
                    _ when RefundFollowUpPolicy.KeyMayHaveExpired(retryOf.RequestedAt, now, provider.Capabilities.IdempotencyKeyLifetime)
                        => retryOf.State == RefundState.Pending ? retryOf.RefundId : throw WithAPerson(provider.DisplayName, retryOf.RefundId),
                    _ => await CallProviderAsync(provider, attempt, retryOf),
                };
            }
            if (requested > attempt.RefundableAmount.Amount)
            {
                throw new GatewayProblemException(422, "amount_exceeds_refundable",
                    $"At most {attempt.RefundableAmount} can still be refunded.");
            }
            if (provider.Capabilities.Refunds && !provider.Capabilities.PartialRefunds && requested != attempt.Amount.Amount)
            {
                throw new GatewayProblemException(422, "partial_refund_not_supported", $"{provider.DisplayName} can only refund the whole payment.");
            }

            var refund = new RefundRecord
            {
                PaymentRef = attempt.PaymentRef,
                RefundId = PaymentReferences.NewRefundId(),
                Amount = new Money(requested, currency),
                RequestedAt = now,
                UpdatedAt = now,
                State = provider.Capabilities.Refunds ? RefundState.Requested : RefundState.ManualRefundRequired,
            };
            // Recorded first, so the refund id handed out below always points at a record.
            await store.AddRefundAsync(refund, cancellationToken);

            attempt.RefundedAmount += requested;
            attempt.ReservedRefundIds.Add(refund.RefundId);
            attempt.LastRefundId = refund.RefundId;
            attempt.LastRefundAmount = requested;
            attempt.LastRefundAt = now;
            attempt.UpdatedAt = now;
            try
            {
                await store.UpdateAttemptAsync(attempt, read.Version, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                // Lost to a concurrent refund (maybe this very request, retried): forget ours and look again.
                var orphan = await store.GetRefundAsync(refund.PaymentRef, refund.RefundId, CancellationToken.None);
                if (orphan is not null)
                {
                    orphan.Value.State = RefundState.Failed;
                    orphan.Value.FailureMessage = "Superseded by a concurrent request.";
                    await store.UpdateRefundAsync(orphan.Value, orphan.Version, CancellationToken.None);
                }
                continue;
            }

            if (!provider.Capabilities.Refunds)
            {
                logger.LogWarning("{Provider} has no refund API: refund {RefundId} of {Amount} for {PaymentRef} is recorded for the merchant", provider.Id, refund.RefundId, refund.Amount, attempt.PaymentRef);
                throw RefundNotSupported(provider.DisplayName, refund.RefundId);
            }

            return await CallProviderAsync(provider, attempt, refund);
        }
    }

    /// <summary>The request's amount, once the reference, the amount, the refund key and any public token hold.</summary>
    private async Task<decimal> AuthorizeAsync(RefundCommand command, CancellationToken cancellationToken)
    {
        if (!PaymentReferences.IsWellFormedPaymentRef(command.PaymentRef))
        {
            throw NotFound();
        }
        if (command.Amount is not { } requested || requested <= 0)
        {
            throw new GatewayProblemException(400, "invalid_amount", "amount must be a positive number.");
        }
        // The refund key first: it is checked here, for free, while a token costs a call to Snipcart, and a caller
        // without the key must not make us send anything anywhere.
        var known = await store.GetAttemptAsync(command.PaymentRef, cancellationToken) ?? throw NotFound();
        if (!PaymentReferences.KeysMatch(command.Key, known.Value.RefundKey))
        {
            throw InvalidRefundKey();
        }
        if (!string.IsNullOrEmpty(command.PublicToken) && !await IsValidTokenAsync(command.PublicToken, cancellationToken))
        {
            throw GatewayProblemException.InvalidToken();
        }
        return requested;
    }

    /// <summary>Refuses a refund of this attempt as it is now: another key, never confirmed, too many decimals.</summary>
    private void CheckRefundable(RefundCommand command, PaymentAttempt attempt, decimal requested)
    {
        if (!PaymentReferences.KeysMatch(command.Key, attempt.RefundKey))
        {
            throw InvalidRefundKey();
        }
        if (!attempt.IsProcessed)
        {
            throw new GatewayProblemException(409, "not_paid", "This payment was never confirmed, there is nothing to refund.");
        }
        var currency = attempt.Amount.Currency;
        if (decimal.Round(requested, CurrencyCodes.MinorUnitDigits(currency)) != requested)
        {
            throw new GatewayProblemException(400, "invalid_amount", $"{currency} amounts have at most {CurrencyCodes.MinorUnitDigits(currency)} decimals.");
        }
        if (!string.IsNullOrEmpty(command.PaymentId) && command.PaymentId != attempt.TransactionId && command.PaymentId != attempt.PaymentRef)
        {
            // Snipcart does not document what paymentId holds: the reference in the path decides.
            logger.LogInformation("Refund for {PaymentRef} names paymentId {PaymentId}", attempt.PaymentRef, command.PaymentId);
        }
    }

    private async Task<string> CallProviderAsync(IPaymentProvider provider, PaymentAttempt attempt, RefundRecord refund)
    {
        var stored = (await store.GetRefundAsync(refund.PaymentRef, refund.RefundId, CancellationToken.None))!;
        if (stored.Value.State == RefundState.Succeeded)
        {
            return refund.RefundId;
        }
        if (stored.Value.State == RefundState.ManualRefundRequired)
        {
            // Handed to a person since it was read (its key may have expired): nothing more is sent.
            throw WithAPerson(provider.DisplayName, refund.RefundId);
        }
        var stateBefore = stored.Value.State;
        bool outcomeUnknown = false;
        try
        {
            // Not cancelled by Snipcart hanging up: the provider's answer must be recorded.
            var result = await provider.RefundAsync(RefundRequestFor(attempt, refund, attempt.Amount), CancellationToken.None);
            stored.Value.State = result.Status switch
            {
                RefundStatus.Succeeded => RefundState.Succeeded,
                RefundStatus.Failed => RefundState.Failed,
                _ => RefundState.Pending,
            };
            stored.Value.ProviderRefundId = result.ProviderRefundId;
            stored.Value.FailureMessage = result.FailureMessage;
        }
        catch (ProviderException ex) when (ex.IsRejection && ex.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            logger.LogWarning(ex, "{Provider} refused refund {RefundId} for {PaymentRef} ({Status} {Code})", provider.Id, refund.RefundId, attempt.PaymentRef, ex.StatusCode, ex.ErrorCode);
            stored.Value.State = RefundState.Failed;
            stored.Value.FailureMessage = ex.ErrorCode ?? $"HTTP {(int?)ex.StatusCode}";
        }
        catch (ProviderException ex)
        {
            // A timeout, a 5xx, or a 409 (most providers' "this idempotency key is in use": the first try of
            // this refund is still running there, or finished): the provider may have refunded. The amount stays reserved and the refund stays
            // Requested, so Snipcart's retry asks again under the same idempotency key.
            logger.LogWarning(ex, "{Provider} gave no answer for refund {RefundId} of {PaymentRef}; it will be asked again", provider.Id, refund.RefundId, attempt.PaymentRef);
            outcomeUnknown = true;
            stored.Value.FailureMessage = ex.StatusCode is { } status ? $"HTTP {(int)status}" : "no answer";
        }
        stored.Value.UpdatedAt = time.GetUtcNow();
        var recorded = await RecordAnswerAsync(stored, stateBefore, outcomeUnknown);
        if (recorded.ReplacedFailure)
        {
            await KeepReservedAsync(attempt.PaymentRef, refund);
        }

        var standing = recorded.Standing;
        if (standing.State is RefundState.Succeeded or RefundState.Pending)
        {
            logger.LogInformation("Refund {RefundId} of {Amount} for {PaymentRef}: {State}", refund.RefundId, refund.Amount, attempt.PaymentRef, standing.State);
            return refund.RefundId;
        }
        if (standing.State == RefundState.Failed && !outcomeUnknown)
        {
            // Only the request whose Failed was written gives the amount back: one that adopted a stored refusal
            // leaves it to that writer, and a success written later takes it back (KeepReservedAsync).
            if (recorded.WroteFailure)
            {
                await ReleaseAsync(attempt.PaymentRef, refund, CancellationToken.None);
            }
            // The provider answered and said no: a 4xx Snipcart shows the merchant as it is (not a "try again").
            throw new GatewayProblemException(422, "refund_failed", $"{provider.DisplayName} refused the refund ({standing.FailureMessage}).");
        }
        throw Unconfirmed(refund.RefundId, $"{provider.DisplayName} did not confirm the refund. Try again: it will not be refunded twice.");
    }

    /// <summary>A refund with no known outcome that only a person can settle now (the provider may have made it, and
    /// may have forgotten its key): asking again must not be suggested, and neither must refunding another way.</summary>
    private static GatewayProblemException WithAPerson(string providerName, string refundId) =>
        Unconfirmed(refundId, $"{providerName} did not confirm the refund, and it may have been made: it is with a person to check in {providerName}'s dashboard. Do not refund it again.");

    private static GatewayProblemException Unconfirmed(string refundId, string title)
    {
        var problem = new GatewayProblemException(502, "refund_unconfirmed", title);
        problem.Extensions["refundId"] = refundId;
        return problem;
    }

    /// <summary>
    /// Writes this request's answer for the refund. Two answers can arrive for one idempotency key (Snipcart's
    /// retry racing the first try; the client retrying a POST that timed out after the provider applied it), and
    /// they can disagree: a 4xx for one, success for the other. The provider took the money back if either says
    /// so, so a success (or pending) replaces a stored refusal whichever is written first; otherwise the answer
    /// already stored stands and is adopted. A request without an answer never overwrites one.
    /// </summary>
    private async Task<(RefundRecord Standing, bool WroteFailure, bool ReplacedFailure)> RecordAnswerAsync(
        Versioned<RefundRecord> ours, RefundState storedState, bool outcomeUnknown)
    {
        var answer = ours.Value;
        var version = ours.Version;
        while (true)
        {
            try
            {
                await store.UpdateRefundAsync(answer, version, CancellationToken.None);
                return (answer,
                    !outcomeUnknown && answer.State == RefundState.Failed,
                    storedState == RefundState.Failed && answer.State is RefundState.Succeeded or RefundState.Pending);
            }
            catch (ConcurrencyConflictException)
            {
                var current = await store.GetRefundAsync(answer.PaymentRef, answer.RefundId, CancellationToken.None);
                if (current is null || outcomeUnknown || Rank(answer.State) <= Rank(current.Value.State))
                {
                    return (current?.Value ?? answer, false, false);
                }
                storedState = current.Value.State;
                version = current.Version;
            }
        }
    }

    /// <summary>How much a refund's state says about the money: a later answer replaces a stored one only when it
    /// says more.</summary>
    private static int Rank(RefundState state) => state switch
    {
        RefundState.Succeeded => 3,
        RefundState.Pending => 2,
        RefundState.Failed => 1,
        _ => 0,
    };

    /// <summary>
    /// A refund recorded as refused turned out to be carried out: its amount must stay counted. If the refusal
    /// already gave it back, it is reserved again (and the payment flagged for the merchant when another refund
    /// took the freed amount meanwhile, so the count exceeds what was paid). If the refusal has not given it back
    /// yet, listing the id as released makes sure it never will.
    /// </summary>
    private async Task KeepReservedAsync(string paymentRef, RefundRecord refund)
    {
        while (true)
        {
            var read = await store.GetAttemptAsync(paymentRef, CancellationToken.None);
            if (read is null)
            {
                return;
            }
            var attempt = read.Value;
            if (!attempt.ReleasedRefundIds.Add(refund.RefundId))
            {
                // Counted in full even beyond what was paid: the excess is usually a refund still in flight that
                // the provider will refuse (its release then brings the count back), and if not, nothing more
                // can be refunded while it stands.
                attempt.RefundedAmount += refund.Amount.Amount;
                if (attempt.RefundedAmount > attempt.Amount.Amount)
                {
                    logger.LogError("Refund {RefundId} of {Amount} for {PaymentRef} was refused, then carried out: refunds counted exceed what was paid", refund.RefundId, refund.Amount, paymentRef);
                    attempt.NeedsAttention = true;
                }
            }
            attempt.UpdatedAt = time.GetUtcNow();
            if (await store.TryUpdateAttemptAsync(attempt, read.Version, CancellationToken.None))
            {
                return;
            }
        }
    }

    private static GatewayProblemException RefundNotSupported(string providerName, string refundId)
    {
        var problem = new GatewayProblemException(422, "refund_not_supported",
            $"{providerName} has no refund API: the refund must be made in {providerName}'s own dashboard. This request is recorded for the merchant; no money was moved.");
        problem.Extensions["refundId"] = refundId;
        return problem;
    }

    /// <summary>
    /// The refund this request repeats, if any: the most recent refund of the payment for the same amount, asked
    /// for within the retry window, and not failed. Every recent refund counts, not only the latest: Snipcart may
    /// retry the first of two refunds after the second was made. A refused refund is not matched: the same amount
    /// again is a new refund under a new key (a provider that stores a key's 4xx would replay the refusal for the
    /// whole window), and a refusal later overturned by the same key's success is no longer Failed.
    /// </summary>
    private async Task<RefundRecord?> FindRetriedRefundAsync(PaymentAttempt attempt, decimal amount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (attempt.LastRefundAt is null || now - attempt.LastRefundAt > options.Value.RefundRetryWindow)
        {
            // Nothing was asked for within the window: no need to read the refunds.
            return null;
        }
        var refunds = await store.ListRefundsAsync(attempt.PaymentRef, cancellationToken);
        return refunds
            // Only refunds this attempt reserved: a record that lost the reservation race (a concurrent twin of
            // this very request) is about to be marked failed and must never be answered or sent to the provider.
            .Where(r => r.Amount.Amount == amount && r.State is not RefundState.Failed
                && (attempt.ReservedRefundIds.Contains(r.RefundId) || r.RefundId == attempt.LastRefundId)
                && now - r.RequestedAt <= options.Value.RefundRetryWindow)
            .OrderByDescending(r => r.RequestedAt)
            .FirstOrDefault();
    }

    /// <summary>Gives back the amount a refused refund had reserved: once per refund, however many requests
    /// (a retry racing the first try) saw the refusal.</summary>
    private async Task ReleaseAsync(string paymentRef, RefundRecord refund, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (read is null || !read.Value.ReleaseRefund(refund.RefundId, refund.Amount.Amount, time.GetUtcNow()))
            {
                return;
            }
            try
            {
                await store.UpdateAttemptAsync(read.Value, read.Version, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
            }
        }
    }

    /// <summary>What a provider is asked to refund: <paramref name="refund"/> of the attempt's payment, under the refund's id
    /// as the provider's idempotency key.</summary>
    internal static ProviderRefundRequest RefundRequestFor(PaymentAttempt attempt, RefundRecord refund, Money paymentAmount) => new()
    {
        PaymentRef = attempt.PaymentRef,
        RefundRef = refund.RefundId,
        Mode = attempt.Mode,
        ProviderPaymentId = attempt.ProviderPaymentId!,
        Amount = refund.Amount,
        PaymentAmount = paymentAmount,
        ProviderData = attempt.ProviderData,
        TransactionId = attempt.TransactionId,
    };

    private static GatewayProblemException InvalidRefundKey() => new(401, "invalid_refund_key", "This refund URL is not valid.");

    private async Task<bool> IsValidTokenAsync(string publicToken, CancellationToken cancellationToken)
    {
        try
        {
            return await snipcart.ValidatePublicTokenAsync(publicToken, cancellationToken);
        }
        catch (SnipcartException)
        {
            throw GatewayProblemException.SnipcartUnavailable();
        }
    }

    private static GatewayProblemException NotFound() =>
        new(404, "payment_not_found", "There is no such payment.");
}
