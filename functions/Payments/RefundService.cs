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

        while (true)
        {
            var read = await store.GetAttemptAsync(command.PaymentRef, cancellationToken) ?? throw NotFound();
            var attempt = read.Value;
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

            var now = time.GetUtcNow();
            var retryOf = await FindRetriedRefundAsync(attempt, requested, now, cancellationToken);
            var provider = providers.Find(attempt.ProviderId)
                ?? throw new GatewayProblemException(409, "provider_unavailable", $"The provider '{attempt.ProviderId}' is no longer configured.");
            if (retryOf is not null)
            {
                // A retry gets the first request's answer; one whose outcome is unknown asks the provider again
                // under the same idempotency key.
                return retryOf.State switch
                {
                    RefundState.ManualRefundRequired => throw RefundNotSupported(provider.DisplayName, retryOf.RefundId),
                    RefundState.Succeeded => retryOf.RefundId,
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

    private async Task<string> CallProviderAsync(IPaymentProvider provider, PaymentAttempt attempt, RefundRecord refund)
    {
        var stored = (await store.GetRefundAsync(refund.PaymentRef, refund.RefundId, CancellationToken.None))!;
        if (stored.Value.State == RefundState.Succeeded)
        {
            return refund.RefundId;
        }
        bool outcomeUnknown = false;
        try
        {
            // Not cancelled by Snipcart hanging up: the provider's answer must be recorded.
            var result = await provider.RefundAsync(new ProviderRefundRequest
            {
                PaymentRef = attempt.PaymentRef,
                RefundRef = refund.RefundId,
                Mode = attempt.Mode,
                ProviderPaymentId = attempt.ProviderPaymentId!,
                Amount = refund.Amount,
                PaymentAmount = attempt.Amount,
            }, CancellationToken.None);
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
        try
        {
            await store.UpdateRefundAsync(stored.Value, stored.Version, CancellationToken.None);
        }
        catch (ConcurrencyConflictException)
        {
            // A concurrent retry recorded the provider's answer to the same idempotency key first. Releasing
            // below is still safe: it is keyed by the refund and happens once.
        }

        if (outcomeUnknown)
        {
            var problem = new GatewayProblemException(502, "refund_unconfirmed", $"{provider.DisplayName} did not confirm the refund. Try again: it will not be refunded twice.");
            problem.Extensions["refundId"] = refund.RefundId;
            throw problem;
        }
        if (stored.Value.State == RefundState.Failed)
        {
            await ReleaseAsync(attempt.PaymentRef, refund, CancellationToken.None);
            throw new GatewayProblemException(502, "refund_failed", $"{provider.DisplayName} refused the refund ({stored.Value.FailureMessage}).");
        }
        logger.LogInformation("Refund {RefundId} of {Amount} for {PaymentRef}: {State}", refund.RefundId, refund.Amount, attempt.PaymentRef, stored.Value.State);
        return refund.RefundId;
    }

    private static GatewayProblemException RefundNotSupported(string providerName, string refundId)
    {
        var problem = new GatewayProblemException(422, "refund_not_supported",
            $"{providerName} has no refund API. The request is recorded; refund the shopper from the provider's dashboard.");
        problem.Extensions["refundId"] = refundId;
        return problem;
    }

    /// <summary>
    /// The refund this request repeats, if any: the most recent refund of the payment for the same amount, asked
    /// for within the retry window, and not failed. Every recent refund counts, not only the latest: Snipcart may
    /// retry the first of two refunds after the second was made.
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
