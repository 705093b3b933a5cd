using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Payments;

public enum FinishOutcome
{
    /// <summary>No such payment.</summary>
    NotFound,
    /// <summary>Snipcart has been told (now or earlier) what it needs to know for now.</summary>
    Confirmed,
    /// <summary>Nothing to tell Snipcart yet (the provider has no final word and nobody waits).</summary>
    Waiting,
    /// <summary>Another request is telling Snipcart right now.</summary>
    Busy,
    /// <summary>The provider or Snipcart could not be reached; reconciliation will try again.</summary>
    Unreachable,
    /// <summary>The shopper cancelled and nothing was paid.</summary>
    Canceled,
    /// <summary>Closed without telling Snipcart: the session was paid by another attempt, or it was given up.</summary>
    Closed,
}

public sealed record FinishResult(FinishOutcome Outcome, PaymentAttempt? Attempt)
{
    public string? ReturnUrl => Attempt?.ReturnUrl;
}

/// <summary>
/// Brings an attempt to its outcome, from any trigger: asks the provider server-to-server, checks amount,
/// currency and reference, and tells Snipcart. Exactly once: whoever wants to tell Snipcart must first win a
/// claim on the attempt (a write conditional on its ETag); a paid attempt must also win the session, so one
/// session is confirmed "processed" once even when two attempts were paid.
/// </summary>
public sealed class PaymentFinisher(
    IPaymentStore store,
    IProviderRegistry providers,
    ISnipcartClient snipcart,
    GatewayUrls urls,
    TimeProvider time,
    IOptions<PaymentsOptions> options,
    LateMoneyRecorder lateMoney,
    ILogger<PaymentFinisher> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    public async Task<FinishResult> FinishAsync(
        string paymentRef,
        FinishTrigger trigger,
        IReadOnlyDictionary<string, string>? returnParameters = null,
        CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var waitUntil = time.GetUtcNow() + settings.WaitForConfirmation;
        ProviderPayment? seen = null;
        var canceledAtProvider = false;
        var voidRefused = false;
        var keptReturnRejected = false;

        while (true)
        {
            var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (read is null)
            {
                return new FinishResult(FinishOutcome.NotFound, null);
            }
            var attempt = read.Value;
            var now = time.GetUtcNow();

            if (trigger == FinishTrigger.Notification && attempt.ConfirmedState is SnipcartPaymentState.Failed or SnipcartPaymentState.Processed)
            {
                // Snipcart has its final word; the provider may still report money moving (paid after "failed",
                // a refund from its dashboard).
                if (await CheckLateMoneyAsync(read, cancellationToken) is { } late)
                {
                    return late;
                }
                continue;
            }
            if (attempt.IsSettled && !(attempt.Abandoned && !attempt.NeedsAttention && trigger != FinishTrigger.Reconciliation)
                && !WasPaidAndGivenUp(attempt))
            {
                // A late "paid" for an attempt given up as unpaid still goes through (the abandoned branch above).
                return new FinishResult(attempt.Abandoned ? FinishOutcome.Closed : FinishOutcome.Confirmed, attempt);
            }
            if (attempt.HasLiveClaim(now))
            {
                if (trigger != FinishTrigger.ShopperReturn || now > waitUntil)
                {
                    return new FinishResult(FinishOutcome.Busy, attempt);
                }
                await Task.Delay(PollInterval, time, cancellationToken);
                continue;
            }
            var provider = providers.Find(attempt.ProviderId);
            if (attempt.ProviderPaymentId is null || provider is null)
            {
                return await CloseIfStaleAsync(read, trigger, now, provider is null ? "provider_removed" : "never_created", cancellationToken);
            }

            var freshReturn = returnParameters is { Count: > 0 } ? ReturnParameterSet.Bound(returnParameters) : null;
            try
            {
                seen ??= await provider.GetPaymentAsync(LookupFor(attempt, freshReturn, keptReturnRejected), cancellationToken);
            }
            catch (ProviderReturnRejectedException ex) when (freshReturn is null && attempt.ReturnParameters.Count > 0 && !keptReturnRejected)
            {
                // The parameters kept from an earlier return no longer do (a token that expired, a single-use one):
                // ask by the provider's own ids instead, or nothing would ever finish this payment.
                logger.LogWarning("{Provider} no longer accepts the return kept for {PaymentRef}: asking without it ({Reason})", provider.Id, paymentRef, ex.Message);
                keptReturnRejected = true;
                continue;
            }
            catch (ProviderReturnRejectedException ex)
            {
                // A forged or stale return (another token, another reference): nothing of it is kept and nothing
                // changes. The shopper waits on our status page, which asks with what we knew before.
                logger.LogWarning("{Provider} says the return for {PaymentRef} does not describe it: ignored ({Reason})", provider.Id, paymentRef, ex.Message);
                return new FinishResult(FinishOutcome.Waiting, attempt);
            }
            catch (ProviderException ex)
            {
                logger.LogWarning(ex, "{Provider} could not tell the status of {PaymentRef} ({Status} {Code})", provider.Id, paymentRef, ex.StatusCode, ex.ErrorCode);
                if (ex.IsRejection && trigger == FinishTrigger.Reconciliation && now - attempt.CreatedAt > settings.AbandonAfter)
                {
                    // The provider has refused to tell us for a day (say it no longer knows the payment): stop
                    // asking, and leave it to a person.
                    attempt.NeedsAttention = true;
                    attempt.Abandoned = true;
                    attempt.FailureCode ??= "provider_lookup_refused";
                    attempt.UpdatedAt = now;
                    if (!await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken))
                    {
                        continue;
                    }
                    logger.LogError("{Provider} has refused to tell the status of {PaymentRef} for a day: closed, a person must look", provider.Id, paymentRef);
                    return new FinishResult(FinishOutcome.Closed, attempt);
                }
                return new FinishResult(FinishOutcome.Unreachable, attempt);
            }

            // The lease and every decision below count from now, not from before the provider's answer: a slow
            // provider must not shorten the claim other workers respect.
            now = time.GetUtcNow();
            var status = seen.Status;
            string? failureCode = seen.FailureCode;
            string? failureMessage = seen.FailureMessage;
            var mismatch = status == PaymentStatus.Paid ? PaymentVerification.FindMismatch(attempt, seen.Amount, seen.Reference, provider.Capabilities.EchoesAmount, provider.Capabilities.EchoesReference) : null;
            if (mismatch is null && status == PaymentStatus.Paid && attempt.ConfirmedState is not SnipcartPaymentState.Processed
                && seen.RefundedAmount is { } refundedBefore && refundedBefore.Currency == attempt.Amount.Currency && refundedBefore.Amount >= attempt.Amount.Amount)
            {
                // Paid, and already given back in full before Snipcart heard of it (a void-or-refund that raced the
                // shopper's payment, a dashboard refund): no order may be confirmed on money the shopper has back.
                mismatch = $"The provider reports it refunded in full ({refundedBefore}) before it was confirmed.";
            }
            if (mismatch is not null)
            {
                logger.LogError("Payment {PaymentRef} is paid at {Provider} but does not match: {Mismatch}", paymentRef, provider.Id, mismatch);
                status = PaymentStatus.Failed;
                failureCode = PaymentVerification.MismatchCode;
                failureMessage = "The payment could not be verified.";
            }

            if (trigger == FinishTrigger.ShopperCancel && status != PaymentStatus.Paid)
            {
                if (status == PaymentStatus.AwaitingShopper && provider.Capabilities.Cancel && attempt.ConfirmedState is null && !canceledAtProvider)
                {
                    // The shopper left the provider's page: void the checkout there so it cannot be paid behind
                    // our back, then look once more (paid after all wins).
                    canceledAtProvider = true;
                    if (await TryCancelAtProviderAsync(provider, attempt, cancellationToken) is not VoidOutcome.Unreachable)
                    {
                        seen = null;
                        continue;
                    }
                }
                return new FinishResult(FinishOutcome.Canceled, attempt);
            }

            var decision = ConfirmationPolicy.Decide(attempt, status, trigger, now, settings.AbandonAfter);
            if (ClosesUnpaidCheckout(decision, status) && provider.Capabilities.Cancel)
            {
                if (!canceledAtProvider)
                {
                    // Expired and unpaid: void it at the provider before closing, then one last look.
                    canceledAtProvider = true;
                    var voided = await TryCancelAtProviderAsync(provider, attempt, cancellationToken);
                    if (voided is VoidOutcome.Unreachable)
                    {
                        return new FinishResult(FinishOutcome.Unreachable, attempt);
                    }
                    voidRefused = voided is VoidOutcome.Refused;
                    seen = null;
                    continue;
                }
                if (voidRefused)
                {
                    // The provider refused to void a checkout its lookup still calls unpaid: it may have just been
                    // paid (a lookup that lags, a payment in flight). Neither closed nor told "failed": kept open,
                    // flagged, and checked again; a later lookup says which.
                    decision = new ConfirmationDecision(null, false, VoidRefused);
                }
            }
            var previousCode = attempt.FailureCode;
            attempt.RecordProviderView(status, seen.ProviderStatus, seen.TransactionId, failureCode, failureMessage, now);
            attempt.NeedsAttention |= mismatch is not null;
            // Only an answer checked against this attempt may leave anything on it for later lookups.
            var describesThisPayment = mismatch is null && (seen.Reference is null || seen.Reference == attempt.PaymentRef);
            if (freshReturn is not null && describesThisPayment)
            {
                // The provider accepted these return parameters as this payment's: kept for later lookups (added to,
                // never wiped by, a later return that carries other parameters).
                ReturnParameterSet.Keep(attempt.ReturnParameters, freshReturn);
            }
            if (describesThisPayment)
            {
                ProviderData.Merge(attempt.ProviderData, seen.ProviderData);
                if (keptReturnRejected && freshReturn is null)
                {
                    // Answered without them: not needed, and no longer asked with.
                    attempt.ReturnParameters.Clear();
                }
            }
            SchedulePendingCheck(attempt, provider, status, now);

            if (decision.Send is not { } state)
            {
                if (decision.Abandon)
                {
                    attempt.Abandoned = true;
                }
                var newlyFlagged = decision.Attention is { } code && Flag(attempt, code, previousCode);
                if (!await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken))
                {
                    continue;
                }
                if (newlyFlagged && decision.Attention == VoidRefused)
                {
                    logger.LogError("{Provider} refused to void expired payment {PaymentRef} but still reports it unpaid: kept open and checked, a person must look", provider.Id, paymentRef);
                }
                else if (newlyFlagged)
                {
                    logger.LogError("Payment {PaymentRef} is still pending at {Provider} after {AbandonAfter}: kept open and checked, a person must look", paymentRef, provider.Id, settings.AbandonAfter);
                }
                return new FinishResult(attempt.Abandoned ? FinishOutcome.Closed : FinishOutcome.Waiting, attempt);
            }

            // One session, one "processed"; and nothing at all for a session another attempt already paid.
            var sessionOutcome = await ClaimSessionAsync(attempt, state, now, settings.ConfirmationLease, cancellationToken);
            if (sessionOutcome is SessionClaim.Lost)
            {
                continue;
            }
            if (sessionOutcome is SessionClaim.Busy)
            {
                // Another attempt of this session is telling Snipcart right now: wait for it, then decide again.
                if (trigger != FinishTrigger.ShopperReturn || now > waitUntil)
                {
                    return new FinishResult(FinishOutcome.Busy, attempt);
                }
                await Task.Delay(PollInterval, time, cancellationToken);
                continue;
            }
            if (sessionOutcome is SessionClaim.PaidByAnother paidByAnother)
            {
                // The order is paid: this shopper goes where the paying attempt's shopper went.
                attempt.ReturnUrl ??= await PaidAttemptReturnUrlAsync(paidByAnother.PaymentRef, trigger, waitUntil, cancellationToken);
                // Money still pending here is not closed: if it is paid too, reconciliation sees the duplicate.
                var pending = status == PaymentStatus.Pending;
                var newlyFlagged = pending && Flag(attempt, PendingOnPaidSession, previousCode);
                attempt.Abandoned = !pending;
                attempt.NeedsAttention |= status == PaymentStatus.Paid;
                attempt.FailureCode ??= status == PaymentStatus.Paid ? "duplicate_payment" : null;
                if (status == PaymentStatus.Paid)
                {
                    logger.LogError("Payment {PaymentRef} was paid but session {SessionId} was already paid by another attempt: refund it", paymentRef, attempt.SessionId);
                }
                if (!await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken))
                {
                    continue;
                }
                if (newlyFlagged)
                {
                    logger.LogError("Payment {PaymentRef} is pending at {Provider} but session {SessionId} was already paid by another attempt: kept open, it may need a refund", paymentRef, provider.Id, attempt.SessionId);
                }
                return new FinishResult(FinishOutcome.Closed, attempt);
            }

            if (attempt.Abandoned)
            {
                // Given up earlier, paid after all: back on the list, so a crash from here on is reconciled.
                attempt.Abandoned = false;
                if (state == SnipcartPaymentState.Processed)
                {
                    // Snipcart never heard anything of it, so it is confirmed; but the merchant must know an order
                    // arrived this late (the stock, the shopper who may have paid again elsewhere).
                    attempt.NeedsAttention = true;
                    attempt.FailureCode = "paid_after_abandoned";
                    logger.LogError("Payment {PaymentRef} was paid at {Provider} after it was given up: confirming it late, check the order", paymentRef, provider.Id);
                }
                await store.MarkUnsettledAsync(attempt.PaymentRef, cancellationToken);
            }
            var claimId = PaymentReferences.NewClaimId();
            attempt.Claim(state, claimId, time.GetUtcNow(), settings.ConfirmationLease);
            string claimedVersion;
            try
            {
                claimedVersion = await store.UpdateAttemptAsync(attempt, read.Version, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue;
            }

            // We hold the claim: from here on the shopper closing the tab must not stop us halfway.
            try
            {
                return await TellSnipcartAsync(attempt, claimedVersion, state, CancellationToken.None);
            }
            finally
            {
                await ReleaseSessionAsync(attempt, CancellationToken.None);
            }
        }
    }

    private async Task<FinishResult> TellSnipcartAsync(PaymentAttempt attempt, string version, SnipcartPaymentState state, CancellationToken cancellationToken)
    {
        var claimId = attempt.ClaimId;
        if (attempt.UncertainState == state && await SnipcartAlreadyHasAsync(attempt, state, cancellationToken))
        {
            // Snipcart applied the state but its answer was lost: do not say it twice. Its returnUrl is lost with
            // the answer; the shopper goes through our status page to the store instead.
            logger.LogInformation("Snipcart already has {State} for {PaymentRef}: not sent again", state.ToWire(), attempt.PaymentRef);
            attempt.ConfirmClaim(null, time.GetUtcNow());
            await SaveConfirmationAsync(attempt, version, claimId, cancellationToken);
            return new FinishResult(FinishOutcome.Confirmed, attempt);
        }

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
            response = await snipcart.CreatePaymentAsync(attempt.Mode, request, cancellationToken);
        }
        catch (Exception ex) when (ex is SnipcartException or InvalidOperationException)
        {
            // InvalidOperationException: the mode's secret key is missing (a configuration error, logged).
            logger.LogWarning(ex, "Snipcart refused or missed {State} for {PaymentRef} ({Status})", request.State, attempt.PaymentRef, (ex as SnipcartException)?.StatusCode);
            // No answer, or a 5xx (a proxy's timeout among them): Snipcart may have applied the state.
            var mayHaveApplied = ex is SnipcartException { StatusCode: null } or SnipcartException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError };
            attempt.FailClaim(ex is SnipcartException { StatusCode: { } status } ? $"HTTP {(int)status}" : ex.GetType().Name, time.GetUtcNow(), mayHaveApplied);
            if (attempt.ConfirmationFailures >= options.Value.MaxConfirmationFailures)
            {
                // A person must look (Snipcart may refuse this session for good). A paid order is never given up:
                // reconciliation keeps trying at its slowest pace, and any trigger can still confirm it.
                var paid = state == SnipcartPaymentState.Processed;
                if (!paid || attempt.ConfirmationFailures == options.Value.MaxConfirmationFailures)
                {
                    logger.LogError("{Action} telling Snipcart {State} for {PaymentRef} after {Failures} failures", paid ? "Still not done" : "Giving up", request.State, attempt.PaymentRef, attempt.ConfirmationFailures);
                }
                attempt.NeedsAttention = true;
                attempt.Abandoned = !paid;
            }
            await SaveConfirmationAsync(attempt, version, claimId, cancellationToken);
            return new FinishResult(FinishOutcome.Unreachable, attempt);
        }

        attempt.ConfirmClaim(response.ReturnUrl, time.GetUtcNow());
        await SaveConfirmationAsync(attempt, version, claimId, cancellationToken);
        logger.LogInformation("Told Snipcart {State} for {PaymentRef} (session {SessionId})", request.State, attempt.PaymentRef, attempt.SessionId);
        return new FinishResult(FinishOutcome.Confirmed, attempt);
    }

    private abstract record SessionClaim
    {
        public sealed record Ours : SessionClaim;
        public sealed record Lost : SessionClaim;
        public sealed record Busy : SessionClaim;
        public sealed record PaidByAnother(string PaymentRef) : SessionClaim;
    }

    private async Task<string?> PaidAttemptReturnUrlAsync(string paymentRef, FinishTrigger trigger, DateTimeOffset waitUntil, CancellationToken cancellationToken)
    {
        while (true)
        {
            var paid = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (paid?.Value.ReturnUrl is not null || trigger != FinishTrigger.ShopperReturn || time.GetUtcNow() > waitUntil)
            {
                return paid?.Value.ReturnUrl;
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the session for the time it takes to tell Snipcart: one attempt at a time, and "processed" at most
    /// once. A conditional write on the session entity, like the attempt's claim.
    /// </summary>
    private async Task<SessionClaim> ClaimSessionAsync(PaymentAttempt attempt, SnipcartPaymentState state, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var session = await store.GetOrAddSessionAsync(attempt.SessionId, cancellationToken);
        var record = session.Value;
        if (record.ProcessedPaymentRef is { } paidBy && paidBy != attempt.PaymentRef)
        {
            return new SessionClaim.PaidByAnother(paidBy);
        }
        if (record.IsBeingConfirmedByAnother(attempt.PaymentRef, now))
        {
            return new SessionClaim.Busy();
        }
        record.ConfirmingPaymentRef = attempt.PaymentRef;
        record.ConfirmingUntil = now + lease;
        if (state == SnipcartPaymentState.Processed)
        {
            record.ProcessedPaymentRef = attempt.PaymentRef;
        }
        try
        {
            await store.UpdateSessionAsync(record, session.Version, cancellationToken);
            return new SessionClaim.Ours();
        }
        catch (ConcurrencyConflictException)
        {
            return new SessionClaim.Lost();
        }
    }

    /// <summary>Lets the session's other attempts speak again. A crash leaves the lease to expire instead.</summary>
    private async Task ReleaseSessionAsync(PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 3; tries++)
        {
            var session = await store.GetOrAddSessionAsync(attempt.SessionId, cancellationToken);
            if (session.Value.ConfirmingPaymentRef != attempt.PaymentRef)
            {
                return;
            }
            session.Value.ConfirmingPaymentRef = null;
            session.Value.ConfirmingUntil = null;
            try
            {
                await store.UpdateSessionAsync(session.Value, session.Version, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
            }
        }
    }

    /// <summary>Asks the provider about an attempt Snipcart has a final word on, and records money that moved
    /// since (see <see cref="LateMoneyRecorder"/>). Null when the record changed meanwhile: re-read.</summary>
    private async Task<FinishResult?> CheckLateMoneyAsync(Versioned<PaymentAttempt> read, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        var provider = providers.Find(attempt.ProviderId);
        if (provider is null || attempt.ProviderPaymentId is null)
        {
            return new FinishResult(FinishOutcome.Confirmed, attempt);
        }
        ProviderPayment seen;
        try
        {
            try
            {
                seen = await provider.GetPaymentAsync(LookupFor(attempt, null), cancellationToken);
            }
            catch (ProviderReturnRejectedException) when (attempt.ReturnParameters.Count > 0)
            {
                seen = await provider.GetPaymentAsync(LookupFor(attempt, null, withoutKeptReturn: true), cancellationToken);
            }
        }
        catch (ProviderException ex)
        {
            logger.LogWarning(ex, "{Provider} could not tell the status of {PaymentRef}", provider.Id, attempt.PaymentRef);
            return new FinishResult(FinishOutcome.Unreachable, attempt);
        }
        if (PaymentVerification.FindMismatch(attempt, seen.Amount, seen.Reference, provider.Capabilities.EchoesAmount, provider.Capabilities.EchoesReference) is not null)
        {
            // Not this payment as we asked for it (already flagged when it was told "failed" for that reason).
            return new FinishResult(FinishOutcome.Confirmed, attempt);
        }
        var recorded = attempt.IsProcessed
            ? await lateMoney.RecordProviderRefundsAsync(read, seen, cancellationToken)
            : await lateMoney.RecordPaidAfterFailedAsync(read, seen, cancellationToken);
        return recorded ? new FinishResult(FinishOutcome.Confirmed, attempt) : null;
    }

    /// <summary>Reads the session back before repeating a state Snipcart may already have. Any doubt (the public
    /// token expired, Snipcart down, no state in its answer) means "send it again": a repeat is better than an
    /// order Snipcart never hears of.</summary>
    private async Task<bool> SnipcartAlreadyHasAsync(PaymentAttempt attempt, SnipcartPaymentState state, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(attempt.PublicToken))
        {
            return false;
        }
        try
        {
            var session = await snipcart.GetPaymentSessionAsync(attempt.PublicToken, cancellationToken);
            return session is not null && session.Id == attempt.SessionId
                && string.Equals(session.State, state.ToWire(), StringComparison.OrdinalIgnoreCase);
        }
        catch (SnipcartException ex)
        {
            logger.LogWarning(ex, "Could not read back the session of {PaymentRef}; sending {State} again", attempt.PaymentRef, state.ToWire());
            return false;
        }
    }

    /// <summary>
    /// Saves what telling Snipcart changed, as the claim's holder. A lost ETag race is re-read: while the claim is
    /// still ours (another write touched only other fields, e.g. a flag), the outcome is applied again to the
    /// fresh record; only a claim someone took over (our lease ran out) is left to its new holder.
    /// </summary>
    private async Task SaveConfirmationAsync(PaymentAttempt attempt, string version, string? claimId, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 5; tries++)
        {
            if (await store.TryUpdateAttemptAsync(attempt, version, cancellationToken))
            {
                return;
            }
            var fresh = await store.GetAttemptAsync(attempt.PaymentRef, cancellationToken);
            if (fresh is null || claimId is null || fresh.Value.ClaimId != claimId)
            {
                break;
            }
            var current = fresh.Value;
            current.ClaimId = null;
            current.ClaimedState = null;
            current.ClaimExpiresAt = null;
            current.ConfirmedState = attempt.ConfirmedState;
            current.ConfirmedAt = attempt.ConfirmedAt;
            current.ReturnUrl = attempt.ReturnUrl ?? current.ReturnUrl;
            current.ConfirmationFailures = attempt.ConfirmationFailures;
            current.LastConfirmationError = attempt.LastConfirmationError;
            current.UncertainState = attempt.UncertainState;
            current.NeedsAttention |= attempt.NeedsAttention;
            current.Abandoned |= attempt.Abandoned;
            current.UpdatedAt = attempt.UpdatedAt;
            attempt = current;
            version = fresh.Version;
        }
        logger.LogCritical("The claim on {PaymentRef} was taken over while Snipcart was being told {State}", attempt.PaymentRef, attempt.ConfirmedState);
    }

    private async Task<FinishResult> CloseIfStaleAsync(Versioned<PaymentAttempt> read, FinishTrigger trigger, DateTimeOffset now, string reason, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        if (trigger == FinishTrigger.Reconciliation && attempt.ConfirmedState is null && now - attempt.CreatedAt > options.Value.ReconcileAfter)
        {
            attempt.Abandoned = true;
            attempt.FailureCode ??= reason;
            attempt.UpdatedAt = now;
            return await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken)
                ? new FinishResult(FinishOutcome.Closed, attempt)
                : new FinishResult(FinishOutcome.Waiting, attempt);
        }
        return new FinishResult(FinishOutcome.Waiting, attempt);
    }


    private const string PendingOnPaidSession = "pending_on_paid_session";

    /// <summary>The provider refused to void an expired checkout that its lookup still reports unpaid.</summary>
    private const string VoidRefused = "void_refused";

    private enum VoidOutcome
    {
        Voided,
        /// <summary>The provider answered 4xx: it is paid, already closed, or in flight; only a later lookup tells.</summary>
        Refused,
        Unreachable,
    }

    /// <summary>What the provider is asked with: this return's parameters, else those kept from the last return it
    /// accepted, and everything its earlier answers left on the attempt.</summary>
    private static ProviderPaymentLookup LookupFor(PaymentAttempt attempt, IReadOnlyDictionary<string, string>? freshReturn, bool withoutKeptReturn = false) => new()
    {
        PaymentRef = attempt.PaymentRef,
        Mode = attempt.Mode,
        ProviderPaymentId = attempt.ProviderPaymentId!,
        ReturnParameters = freshReturn ?? (withoutKeptReturn ? Providers.ProviderData.Empty : attempt.ReturnParameters),
        ProviderData = attempt.ProviderData,
        Amount = attempt.Amount,
    };

    /// <summary>The decision closes (or fails) a checkout nobody paid: the moment to void it at the provider.</summary>
    private static bool ClosesUnpaidCheckout(ConfirmationDecision decision, PaymentStatus status) =>
        status == PaymentStatus.AwaitingShopper && (decision.Abandon || decision.Send == SnipcartPaymentState.Failed);

    /// <summary>Voids an unpaid checkout at the provider. Unreachable: try later. Refused (it is paid, already
    /// closed, or in flight): the next lookup tells which, and an unpaid answer right after a refusal closes nothing.</summary>
    private async Task<VoidOutcome> TryCancelAtProviderAsync(IPaymentProvider provider, PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            await provider.CancelPaymentAsync(new ProviderCancelRequest
            {
                PaymentRef = attempt.PaymentRef,
                Mode = attempt.Mode,
                ProviderPaymentId = attempt.ProviderPaymentId!,
                Amount = attempt.Amount,
                ProviderData = attempt.ProviderData,
            }, cancellationToken);
            logger.LogInformation("Voided unpaid payment {PaymentRef} at {Provider}", attempt.PaymentRef, provider.Id);
            return VoidOutcome.Voided;
        }
        catch (ProviderException ex) when (ex.IsRejection)
        {
            logger.LogWarning(ex, "{Provider} refused to void {PaymentRef} ({Status} {Code}); looking again", provider.Id, attempt.PaymentRef, ex.StatusCode, ex.ErrorCode);
            return VoidOutcome.Refused;
        }
        catch (ProviderException ex)
        {
            logger.LogWarning(ex, "{Provider} could not void {PaymentRef} ({Status}): trying later", provider.Id, attempt.PaymentRef, ex.StatusCode);
            return VoidOutcome.Unreachable;
        }
    }

    /// <summary>
    /// The provider's own rhythm for a payment it says is pending (J.P. Morgan: three checks within three minutes):
    /// the next check is set by its list; once the list is used up an error is logged once and reconciliation goes on
    /// at its own pace.
    /// </summary>
    private void SchedulePendingCheck(PaymentAttempt attempt, IPaymentProvider provider, PaymentStatus status, DateTimeOffset now)
    {
        var checks = provider.Rhythm.PendingChecks;
        if (status != PaymentStatus.Pending || checks.Count == 0)
        {
            return;
        }
        if (attempt.PendingChecks < checks.Count)
        {
            attempt.NextCheckAt = now + checks[attempt.PendingChecks];
            attempt.PendingChecks++;
        }
        else if (attempt.PendingChecks == checks.Count)
        {
            attempt.PendingChecks++;
            logger.LogError("Payment {PaymentRef} is still pending at {Provider} after the {Checks} checks it asks for: reconciliation goes on", attempt.PaymentRef, provider.Id, checks.Count);
        }
    }

    /// <summary>Paid, never confirmed, and given up by an earlier version (Snipcart refused or was down too long):
    /// any trigger may still confirm it, through the same claims.</summary>
    private static bool WasPaidAndGivenUp(PaymentAttempt attempt) =>
        attempt.Abandoned && attempt.Status == PaymentStatus.Paid && attempt.ConfirmedState is null or SnipcartPaymentState.Processing
        && attempt.FailureCode != "duplicate_payment";

    /// <summary>Flags an attempt that stays open for a person; true the first time (the code was not set before
    /// the provider's view replaced it), so the error is logged once, after the write.</summary>
    private static bool Flag(PaymentAttempt attempt, string code, string? previousCode)
    {
        attempt.NeedsAttention = true;
        attempt.FailureCode = code;
        return previousCode != code;
    }

    private static string DefaultFailureCode(PaymentStatus status) =>
        status == PaymentStatus.Canceled ? "payment_canceled" : "payment_declined";

    private static string DefaultFailureMessage(PaymentStatus status) =>
        status == PaymentStatus.Canceled ? "The payment was cancelled." : "The payment was declined.";
}
