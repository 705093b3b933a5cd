using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

public sealed record FinishResult(FinishOutcome Outcome, PaymentAttempt? Attempt)
{
    public string? ReturnUrl => Attempt?.ReturnUrl;
}

/// <summary>
/// Brings an attempt to its outcome, from any trigger. An executor: it reads the attempt, asks
/// <see cref="PaymentLifecycle.Decide"/> what happens next, performs that step (ask the provider, void, take the
/// session, write, tell Snipcart) with the usual discipline (every write conditional on the ETag, a lost race read
/// again), feeds the answer back and asks again. The rules are all in the decision; none is here.
/// </summary>
public sealed class PaymentFinisher(
    IPaymentStore store,
    IProviderRegistry providers,
    ProviderLookups lookups,
    SessionClaims sessions,
    SnipcartConfirmer confirmer,
    AttemptRecorder recorder,
    GiveBackService giveBacks,
    TimeProvider time,
    IOptions<PaymentsOptions> options,
    LateMoneyRecorder lateMoney)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    public async Task<FinishResult> FinishAsync(
        string paymentRef,
        FinishTrigger trigger,
        IReadOnlyDictionary<string, string>? returnParameters = null,
        CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var rules = new LifecycleRules(settings.AbandonAfter, settings.ReconcileAfter);
        var fresh = returnParameters is { Count: > 0 } ? ReturnParameterSet.Bound(returnParameters) : null;
        var pass = new FinishPass(trigger, fresh, time.GetUtcNow() + settings.WaitForConfirmation);
        while (true)
        {
            var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (read is null)
            {
                return new FinishResult(FinishOutcome.NotFound, null);
            }
            var provider = providers.Find(read.Value.ProviderId);
            var decision = PaymentLifecycle.Decide(pass.TakeInput(read.Value, provider, time.GetUtcNow(), rules));
            if (await PerformAsync(decision, read, provider, pass, cancellationToken) is { } result)
            {
                return result;
            }
        }
    }

    /// <summary>Performs one step; null to read the attempt again and decide again.</summary>
    private async Task<FinishResult?> PerformAsync(LifecycleDecision decision, Versioned<PaymentAttempt> read, IPaymentProvider? provider, FinishPass pass, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        switch (decision.Step)
        {
            case LifecycleStep.Finish:
                return new FinishResult(decision.Outcome, attempt);
            case LifecycleStep.Wait:
                await Task.Delay(PollInterval, time, cancellationToken);
                return null;
            case LifecycleStep.Reread:
                return null;
            case LifecycleStep.LookUp:
                pass.KeptReturnRejected |= decision.DropKeptReturn;
                // Past the checkout's expiry: the last look before it is closed (a provider may ask differently then).
                var finalCheck = time.GetUtcNow() >= PaymentLifecycle.ExpiresAt(attempt, options.Value.AbandonAfter);
                await lookups.LookUpAsync(provider!, attempt, pass, finalCheck, cancellationToken);
                return null;
            case LifecycleStep.Void:
                pass.Void = await lookups.VoidAsync(provider!, attempt, cancellationToken);
                pass.Forget();
                return null;
            case LifecycleStep.ClaimSession:
                pass.Session = await sessions.ClaimAsync(attempt, decision.Send!.Value, options.Value.ConfirmationLease, cancellationToken);
                return null;
            case LifecycleStep.CheckLateMoney:
                return await CheckLateMoneyAsync(read, provider, cancellationToken);
            case LifecycleStep.Save:
                return await ThenGiveBackAsync(await SaveAsync(decision, read, provider, pass, cancellationToken), provider, cancellationToken);
            case LifecycleStep.TellSnipcart:
                return await ThenGiveBackAsync(await ClaimAndTellAsync(decision, read, provider!, pass, cancellationToken), provider, cancellationToken);
            case LifecycleStep.CheckSession:
                pass.Session = await sessions.PeekAsync(attempt, cancellationToken);
                return null;
            case LifecycleStep.Capture:
                (pass.Capture, pass.CaptureData) = await lookups.CaptureAsync(provider!, attempt, cancellationToken);
                pass.Forget();
                return null;
            case LifecycleStep.GiveBack:
                return await giveBacks.RunAsync(attempt.PaymentRef, provider, cancellationToken);
            default:
                throw new InvalidOperationException($"Unknown lifecycle step {decision.Step}.");
        }
    }

    private async Task<FinishResult?> SaveAsync(LifecycleDecision decision, Versioned<PaymentAttempt> read, IPaymentProvider? provider, FinishPass pass, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        var previousCode = attempt.FailureCode;
        if (decision.TakePayingAttemptsReturnUrl && attempt.ReturnUrl is null)
        {
            attempt.ReturnUrl = await sessions.PayingAttemptsReturnUrlAsync(attempt.SessionId, pass.Trigger == FinishTrigger.ShopperReturn, pass.WaitUntil, cancellationToken);
        }
        if (decision.GiveBack is not null)
        {
            await giveBacks.RecordAsync(attempt, pass.Seen?.Amount, cancellationToken);
        }
        recorder.Apply(decision, attempt, provider, pass, time.GetUtcNow());
        if (decision.Reopen)
        {
            await store.MarkUnsettledAsync(attempt.PaymentRef, cancellationToken);
        }
        if (!await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken))
        {
            return decision.WaitingOnConflict ? new FinishResult(FinishOutcome.Waiting, attempt) : null;
        }
        recorder.LogFlagged(decision, attempt, previousCode);
        return new FinishResult(decision.Outcome, attempt);
    }

    /// <summary>Records the view, claims the attempt (a lost race reads again) and tells Snipcart. From the claim on,
    /// the shopper closing the tab must not stop it halfway.</summary>
    private async Task<FinishResult?> ClaimAndTellAsync(LifecycleDecision decision, Versioned<PaymentAttempt> read, IPaymentProvider provider, FinishPass pass, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        var previousCode = attempt.FailureCode;
        var now = time.GetUtcNow();
        if (decision.GiveBack is not null)
        {
            await giveBacks.RecordAsync(attempt, pass.Seen?.Amount, cancellationToken);
        }
        recorder.Apply(decision, attempt, provider, pass, now);
        if (decision.Reopen)
        {
            await store.MarkUnsettledAsync(attempt.PaymentRef, cancellationToken);
        }
        var state = decision.Send!.Value;
        attempt.Claim(state, PaymentReferences.NewClaimId(), now, options.Value.ConfirmationLease);
        string claimedVersion;
        try
        {
            claimedVersion = await store.UpdateAttemptAsync(attempt, read.Version, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return null;
        }
        recorder.LogFlagged(decision, attempt, previousCode);
        try
        {
            return await confirmer.TellAsync(attempt, claimedVersion, state);
        }
        finally
        {
            await sessions.ReleaseAsync(attempt, CancellationToken.None);
        }
    }

    /// <summary>Money the decision just chose to give back is asked of the provider at once (the timer asks again if
    /// there is no answer); the pass ends as it would have.</summary>
    private async Task<FinishResult?> ThenGiveBackAsync(FinishResult? result, IPaymentProvider? provider, CancellationToken cancellationToken)
    {
        if (result?.Attempt is not { IsGivingBack: true } attempt)
        {
            return result;
        }
        var given = await giveBacks.RunAsync(attempt.PaymentRef, provider, cancellationToken);
        return result with { Attempt = given.Attempt ?? attempt };
    }

    /// <summary>Asks the provider about an attempt Snipcart has a final word on, and records money that moved since
    /// (see <see cref="LateMoneyRecorder"/>). Null when the record changed meanwhile: read again.</summary>
    private async Task<FinishResult?> CheckLateMoneyAsync(Versioned<PaymentAttempt> read, IPaymentProvider? provider, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        if (provider is null || attempt.ProviderPaymentId is null)
        {
            return new FinishResult(FinishOutcome.Confirmed, attempt);
        }
        if (await lookups.LookUpSettledAsync(provider, attempt, cancellationToken) is not { } seen)
        {
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
}
