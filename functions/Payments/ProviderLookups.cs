using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>The finisher's calls to a provider: each answer (or its absence) becomes what the lifecycle decides on.</summary>
public sealed class ProviderLookups(ILogger<ProviderLookups> logger)
{
    /// <summary>Asks the provider and classifies its answer into the pass's view.</summary>
    internal async Task LookUpAsync(IPaymentProvider provider, PaymentAttempt attempt, FinishPass pass, bool finalCheck, CancellationToken cancellationToken)
    {
        try
        {
            var lookup = LookupFor(attempt, pass.FreshReturn, pass.KeptReturnRejected) with { FinalCheck = finalCheck };
            var seen = await provider.GetPaymentAsync(lookup, cancellationToken);
            var caps = provider.Capabilities;
            var view = ProviderViews.Classify(attempt, seen.Status, seen.Amount, seen.Reference, seen.RefundedAmount, caps.EchoesAmount, caps.EchoesReference, out var mismatch);
            if (mismatch is not null)
            {
                logger.LogError("Payment {PaymentRef} is paid at {Provider} but does not match: {Mismatch}", attempt.PaymentRef, provider.Id, mismatch);
            }
            pass.Saw(view, seen);
        }
        catch (ProviderReturnRejectedException ex)
        {
            logger.LogWarning("{Provider} says the return for {PaymentRef} does not describe it ({Reason})", provider.Id, attempt.PaymentRef, ex.Message);
            pass.Saw(ProviderView.ReturnRejected);
        }
        catch (ProviderException ex)
        {
            logger.LogWarning(ex, "{Provider} could not tell the status of {PaymentRef} ({Status} {Code})", provider.Id, attempt.PaymentRef, ex.StatusCode, ex.ErrorCode);
            pass.Saw(ex.IsRejection ? ProviderView.Refused : ProviderView.Unreachable);
        }
    }

    /// <summary>Asks about an attempt Snipcart has a final word on; null when the provider did not answer.</summary>
    public async Task<ProviderPayment?> LookUpSettledAsync(IPaymentProvider provider, PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                return await provider.GetPaymentAsync(LookupFor(attempt, null), cancellationToken);
            }
            catch (ProviderReturnRejectedException) when (attempt.ReturnParameters.Count > 0)
            {
                return await provider.GetPaymentAsync(LookupFor(attempt, null, withoutKeptReturn: true), cancellationToken);
            }
        }
        catch (ProviderException ex)
        {
            logger.LogWarning(ex, "{Provider} could not tell the status of {PaymentRef}", provider.Id, attempt.PaymentRef);
            return null;
        }
    }

    /// <summary>Voids an unpaid checkout at the provider. Unreachable: try later. Refused (it is paid, already
    /// closed, or in flight): the next lookup tells which.</summary>
    public async Task<VoidAnswer> VoidAsync(IPaymentProvider provider, PaymentAttempt attempt, CancellationToken cancellationToken)
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
            return VoidAnswer.Voided;
        }
        catch (ProviderException ex) when (ex.IsRejection)
        {
            logger.LogWarning(ex, "{Provider} refused to void {PaymentRef} ({Status} {Code}); looking again", provider.Id, attempt.PaymentRef, ex.StatusCode, ex.ErrorCode);
            return VoidAnswer.Refused;
        }
        catch (ProviderException ex)
        {
            logger.LogWarning(ex, "{Provider} could not void {PaymentRef} ({Status}): trying later", provider.Id, attempt.PaymentRef, ex.StatusCode);
            return VoidAnswer.Unreachable;
        }
    }

    /// <summary>The capture id of an attempt: one per attempt, so a retry, a race or a crash between the capture and
    /// the confirmation can only ever ask for the same capture.</summary>
    public static string CaptureRefFor(string paymentRef) => "cap_" + paymentRef;

    /// <summary>Captures an authorised payment in full under the attempt's one capture id.</summary>
    public async Task<(CaptureAnswer Answer, IReadOnlyDictionary<string, string>? Data)> CaptureAsync(IPaymentProvider provider, PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            // Not cut short by the caller going away: the provider's answer is what the next look relies on.
            var captured = await provider.CaptureAsync(new ProviderCaptureRequest
            {
                PaymentRef = attempt.PaymentRef,
                CaptureRef = CaptureRefFor(attempt.PaymentRef),
                Mode = attempt.Mode,
                ProviderPaymentId = attempt.ProviderPaymentId!,
                Amount = attempt.Amount,
                ProviderData = attempt.ProviderData,
                TransactionId = attempt.TransactionId,
            }, CancellationToken.None);
            logger.LogInformation("Captured {PaymentRef} at {Provider}: {Status}", attempt.PaymentRef, provider.Id, captured.Status);
            return captured.Status switch
            {
                CaptureStatus.Succeeded => (CaptureAnswer.Captured, captured.ProviderData),
                CaptureStatus.Failed => (CaptureAnswer.Refused, captured.ProviderData),
                _ => (CaptureAnswer.Pending, captured.ProviderData),
            };
        }
        catch (ProviderException ex) when (ex.IsRejection)
        {
            logger.LogWarning(ex, "{Provider} refused to capture {PaymentRef} ({Status} {Code})", provider.Id, attempt.PaymentRef, ex.StatusCode, ex.ErrorCode);
            return (CaptureAnswer.Refused, null);
        }
        catch (ProviderException ex)
        {
            logger.LogWarning(ex, "{Provider} gave no answer capturing {PaymentRef}; it will be asked again under the same id", provider.Id, attempt.PaymentRef);
            return (CaptureAnswer.Unreachable, null);
        }
    }

    /// <summary>What the provider is asked with: this return's parameters, else those kept from the last return it
    /// accepted, and everything its earlier answers left on the attempt.</summary>
    private static ProviderPaymentLookup LookupFor(PaymentAttempt attempt, IReadOnlyDictionary<string, string>? freshReturn, bool withoutKeptReturn = false) => new()
    {
        PaymentRef = attempt.PaymentRef,
        Mode = attempt.Mode,
        ProviderPaymentId = attempt.ProviderPaymentId!,
        ReturnParameters = freshReturn ?? (withoutKeptReturn ? ProviderData.Empty : attempt.ReturnParameters),
        ProviderData = attempt.ProviderData,
        Amount = attempt.Amount,
    };
}
