using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Payments;

/// <summary>
/// Tells Snipcart a state for an attempt whose claim this worker holds, and records the answer. Never sends without
/// the claim: after anything that takes time (reading the session back), the claim is renewed by a conditional write
/// first, and a claim someone took over meanwhile ends the try without sending.
/// </summary>
public sealed class SnipcartConfirmer(
    IPaymentStore store,
    ISnipcartClient snipcart,
    GatewayUrls urls,
    TimeProvider time,
    IOptions<PaymentsOptions> options,
    PaymentMetrics metrics,
    ILogger<SnipcartConfirmer> logger)
{
    public async Task<FinishResult> TellAsync(PaymentAttempt attempt, string version, SnipcartPaymentState state)
    {
        var claimId = attempt.ClaimId;
        if (attempt.UncertainState == state)
        {
            if (await SnipcartAlreadyHasAsync(attempt, state))
            {
                // Snipcart applied the state but its answer was lost: do not say it twice. Its returnUrl is lost with
                // the answer; the shopper goes through our status page to the store instead.
                logger.LogInformation("Snipcart already has {State} for {PaymentRef}: not sent again", state.ToWire(), attempt.PaymentRef);
                attempt.ConfirmClaim(null, time.GetUtcNow());
                await SaveAsync(attempt, version, claimId);
                return new FinishResult(FinishOutcome.Confirmed, attempt);
            }
            // The read-back may have outlasted the lease: send only while the claim is still ours.
            if (await RenewClaimAsync(attempt, version) is not { } renewed)
            {
                logger.LogWarning("The claim on {PaymentRef} was taken over while the session was read back: {State} not sent", attempt.PaymentRef, state.ToWire());
                return new FinishResult(FinishOutcome.Busy, attempt);
            }
            (attempt, version) = renewed;
        }
        return await SendAsync(attempt, version, state, claimId);
    }

    private async Task<FinishResult> SendAsync(PaymentAttempt attempt, string version, SnipcartPaymentState state, string? claimId)
    {
        var request = new SnipcartPaymentRequest
        {
            PaymentSessionId = attempt.SessionId,
            State = state.ToWire(),
            TransactionId = attempt.TransactionId ?? attempt.ProviderPaymentId ?? attempt.PaymentRef,
            Error = state == SnipcartPaymentState.Failed
                ? new SnipcartPaymentError(attempt.FailureCode ?? DefaultFailureCode(attempt.Status), attempt.FailureMessage ?? DefaultFailureMessage(attempt.Status))
                : null,
            Links = state == SnipcartPaymentState.Processed ? new SnipcartPaymentLinks(urls.Refunds(attempt.PaymentRef, attempt.RefundKey)) : null,
        };
        SnipcartPaymentResponse response;
        try
        {
            response = await snipcart.CreatePaymentAsync(attempt.Mode, request, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SnipcartException or InvalidOperationException)
        {
            // InvalidOperationException: the mode's secret key is missing (a configuration error, logged).
            logger.LogWarning(ex, "Snipcart refused or missed {State} for {PaymentRef} ({Status})", request.State, attempt.PaymentRef, (ex as SnipcartException)?.StatusCode);
            // No answer, or a 5xx (a proxy's timeout among them): Snipcart may have applied the state.
            var mayHaveApplied = ex is SnipcartException { StatusCode: null } or SnipcartException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError };
            attempt.FailClaim(ex is SnipcartException { StatusCode: { } status } ? $"HTTP {(int)status}" : ex.GetType().Name, time.GetUtcNow(), mayHaveApplied);
            if (Rhythm.AfterSnipcartFailed(attempt, state, options.Value.MaxConfirmationFailures))
            {
                logger.LogError("{Action} telling Snipcart {State} for {PaymentRef} after {Failures} failures",
                    state == SnipcartPaymentState.Processed ? "Still not done" : "Giving up", request.State, attempt.PaymentRef, attempt.ConfirmationFailures);
            }
            await SaveAsync(attempt, version, claimId);
            return new FinishResult(FinishOutcome.Unreachable, attempt);
        }

        attempt.ConfirmClaim(response.ReturnUrl, time.GetUtcNow());
        await SaveAsync(attempt, version, claimId);
        metrics.RecordConfirmation(attempt.ProviderId, request.State, request.Error?.Code);
        logger.LogInformation("Told Snipcart {State} for {PaymentRef} (session {SessionId})", request.State, attempt.PaymentRef, attempt.SessionId);
        return new FinishResult(FinishOutcome.Confirmed, attempt);
    }

    /// <summary>Reads the session back before repeating a state Snipcart may already have. Any doubt (the public
    /// token expired, Snipcart down, no state in its answer) means "send it again": a repeat is better than an
    /// order Snipcart never hears of.</summary>
    private async Task<bool> SnipcartAlreadyHasAsync(PaymentAttempt attempt, SnipcartPaymentState state)
    {
        if (string.IsNullOrEmpty(attempt.PublicToken))
        {
            return false;
        }
        try
        {
            var session = await snipcart.GetPaymentSessionAsync(attempt.PublicToken, CancellationToken.None);
            return session is not null && session.Id == attempt.SessionId
                && string.Equals(session.State, state.ToWire(), StringComparison.OrdinalIgnoreCase);
        }
        catch (SnipcartException ex)
        {
            logger.LogWarning(ex, "Could not read back the session of {PaymentRef}; sending {State} again if the claim is still ours", attempt.PaymentRef, state.ToWire());
            return false;
        }
    }

    /// <summary>Extends the claim by a write conditional on the version it was taken with; null when someone else
    /// wrote meanwhile and the claim is no longer ours. A write that touched only other fields (a flag) keeps it ours.</summary>
    private async Task<(PaymentAttempt Attempt, string Version)?> RenewClaimAsync(PaymentAttempt attempt, string version)
    {
        var claimId = attempt.ClaimId;
        for (var tries = 0; tries < 5; tries++)
        {
            var now = time.GetUtcNow();
            if (attempt.ClaimId != claimId || !attempt.HasLiveClaim(now))
            {
                return null;
            }
            attempt.ClaimExpiresAt = now + options.Value.ConfirmationLease;
            try
            {
                return (attempt, await store.UpdateAttemptAsync(attempt, version, CancellationToken.None));
            }
            catch (ConcurrencyConflictException)
            {
                var fresh = await store.GetAttemptAsync(attempt.PaymentRef, CancellationToken.None);
                if (fresh is null)
                {
                    return null;
                }
                (attempt, version) = (fresh.Value, fresh.Version);
            }
        }
        return null;
    }

    /// <summary>
    /// Saves what telling Snipcart changed, as the claim's holder. A lost ETag race is re-read: while the claim is
    /// still ours (another write touched only other fields, e.g. a flag), the outcome is applied again to the
    /// fresh record; only a claim someone took over (our lease ran out) is left to its new holder.
    /// </summary>
    private async Task SaveAsync(PaymentAttempt attempt, string version, string? claimId)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            if (await store.TryUpdateAttemptAsync(attempt, version, CancellationToken.None))
            {
                return;
            }
            var fresh = await store.GetAttemptAsync(attempt.PaymentRef, CancellationToken.None);
            if (fresh is null || claimId is null || fresh.Value.ClaimId != claimId)
            {
                break;
            }
            attempt = CarryOutcome(attempt, fresh.Value);
            version = fresh.Version;
        }
        logger.LogCritical("The claim on {PaymentRef} was taken over while Snipcart was being told {State}", attempt.PaymentRef, attempt.ConfirmedState);
    }

    private static PaymentAttempt CarryOutcome(PaymentAttempt from, PaymentAttempt current)
    {
        current.ClaimId = null;
        current.ClaimedState = null;
        current.ClaimExpiresAt = null;
        current.ConfirmedState = from.ConfirmedState;
        current.ConfirmedAt = from.ConfirmedAt;
        current.ReturnUrl = from.ReturnUrl ?? current.ReturnUrl;
        current.ConfirmationFailures = from.ConfirmationFailures;
        current.LastConfirmationError = from.LastConfirmationError;
        current.UncertainState = from.UncertainState;
        current.NeedsAttention |= from.NeedsAttention;
        current.Abandoned |= from.Abandoned;
        current.UpdatedAt = from.UpdatedAt;
        return current;
    }

    private static string DefaultFailureCode(PaymentStatus status) =>
        status == PaymentStatus.Canceled ? FlagCodes.PaymentCanceled : FlagCodes.PaymentDeclined;

    private static string DefaultFailureMessage(PaymentStatus status) =>
        status == PaymentStatus.Canceled ? "The payment was cancelled." : "The payment was declined.";
}
