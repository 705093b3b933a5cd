using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>
/// Applies a lifecycle decision's changes to the attempt in memory (the finisher writes it), and logs a flag once it
/// is written: what the provider said, what it left for later lookups, the next check, closing, reopening, flags.
/// </summary>
public sealed class AttemptRecorder(IOptions<PaymentsOptions> options, PaymentMetrics metrics, ILogger<PaymentFinisher> logger)
{
    internal void Apply(LifecycleDecision decision, PaymentAttempt attempt, IPaymentProvider? provider, FinishPass pass, DateTimeOffset now)
    {
        if (decision.RecordView && pass.Seen is { } seen)
        {
            RecordView(attempt, provider, pass, seen, now);
        }
        LifecycleEffects.Apply(attempt, decision, now);
    }

    private void RecordView(PaymentAttempt attempt, IPaymentProvider? provider, FinishPass pass, ProviderPayment seen, DateTimeOffset now)
    {
        var status = PaymentLifecycle.StatusOf(pass.View);
        LifecycleEffects.RecordView(attempt, pass.View, seen.ProviderStatus, seen.TransactionId, seen.FailureCode, seen.FailureMessage, now);
        if (ProviderViews.DescribesThisPayment(pass.View, seen.Reference, attempt.PaymentRef))
        {
            if (pass.FreshReturn is { } fresh)
            {
                // Accepted as this payment's: kept for later lookups (added to, never wiped by, a later return).
                ReturnParameterSet.Keep(attempt.ReturnParameters, fresh);
            }
            ProviderData.Merge(attempt.ProviderData, seen.ProviderData);
            ProviderData.Merge(attempt.ProviderData, pass.CaptureData);
            if (pass.KeptReturnRejected && pass.FreshReturn is null)
            {
                // Answered without them: not needed, and no longer asked with.
                attempt.ReturnParameters.Clear();
            }
        }
        if (provider is not null)
        {
            Rhythm.SchedulePendingCheck(attempt, status, provider.Rhythm.PendingChecks, now, out var exhausted);
            if (exhausted)
            {
                logger.LogError("Payment {PaymentRef} is still pending at {Provider} after the {Checks} checks it asks for: reconciliation goes on", attempt.PaymentRef, provider.Id, provider.Rhythm.PendingChecks.Count);
            }
        }
    }

    /// <summary>Logs a flag the decision raised, once it is written: a replacing flag only the first time.</summary>
    internal void LogFlagged(LifecycleDecision decision, PaymentAttempt attempt, string? previousCode)
    {
        if (decision.Flag is not { Attention: true, Code: { } code } flag || flag.Replace && previousCode == code)
        {
            return;
        }
        var (paymentRef, provider, session) = (attempt.PaymentRef, attempt.ProviderId, attempt.SessionId);
        metrics.RecordAttention(code, provider);
        switch (code)
        {
            case FlagCodes.VoidRefused:
                logger.LogError("{Provider} refused to void expired payment {PaymentRef} but still reports it unpaid: kept open and checked, a person must look", provider, paymentRef);
                break;
            case FlagCodes.PendingTooLong:
                logger.LogError("Payment {PaymentRef} is still pending at {Provider} after {AbandonAfter}: kept open and checked, a person must look", paymentRef, provider, options.Value.AbandonAfter);
                break;
            case FlagCodes.PendingOnPaidSession:
                logger.LogError("Payment {PaymentRef} is pending at {Provider} but session {SessionId} was already paid by another attempt: kept open, it may need a refund", paymentRef, provider, session);
                break;
            case FlagCodes.DuplicatePayment:
                logger.LogError("Payment {PaymentRef} was paid but session {SessionId} was already paid by another attempt: refund it", paymentRef, session);
                break;
            case FlagCodes.ProviderLookupRefused:
                logger.LogError("{Provider} has refused to tell the status of {PaymentRef} for a day: closed, a person must look", provider, paymentRef);
                break;
            case FlagCodes.PaidAfterAbandoned:
                logger.LogError("Payment {PaymentRef} was paid at {Provider} after it was given up: confirming it late, check the order", paymentRef, provider);
                break;
            default:
                logger.LogError("Payment {PaymentRef} at {Provider} needs a person: {Code}", paymentRef, provider, code);
                break;
        }
    }
}
