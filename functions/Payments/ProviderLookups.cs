using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>The finisher's calls to a provider: each answer (or its absence) becomes what the lifecycle decides on.</summary>
public sealed class ProviderLookups(ILogger<ProviderLookups> logger)
{
    /// <summary>Asks the provider and classifies its answer into the pass's view.</summary>
    internal async Task LookUpAsync(IPaymentProvider provider, PaymentAttempt attempt, FinishPass pass, CancellationToken cancellationToken)
    {
        try
        {
            var seen = await provider.GetPaymentAsync(LookupFor(attempt, pass.FreshReturn, pass.KeptReturnRejected), cancellationToken);
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
