using SnipcartGateway.Domain;

namespace SnipcartGateway.Payments;

/// <summary>
/// A shopper cancelling a payment they have not paid: through the finisher (which voids it at a provider that can,
/// and looks again: paid after all wins), then a quiet look that closes it without telling Snipcart once the provider
/// calls it over, so the session's next Pay may start at once (see <see cref="PaymentInFlightRule"/>).
/// </summary>
public sealed class ShopperCancellation(PaymentFinisher finisher, CheckoutService checkout, IPaymentStore store)
{
    /// <summary>The shopper cancelled at the provider (its cancel URL) or on our page.</summary>
    public async Task<FinishResult> CancelAsync(string paymentRef, CancellationToken cancellationToken)
    {
        var result = await finisher.FinishAsync(paymentRef, FinishTrigger.ShopperCancel, cancellationToken: cancellationToken);
        if (result.Outcome != FinishOutcome.Canceled)
        {
            return result;
        }
        // The finisher keeps nothing of its look for a shopper's cancel. The reconciliation trigger is the quiet one:
        // a cancelled or declined payment is closed unannounced (Snipcart is not told "failed", which could spoil
        // the shopper's next try), one still awaiting the shopper is left as it is.
        return await finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The checkout page's cancel: only for an attempt of the session the signed checkout link is for (a payment
    /// reference alone cancels nothing). Returns the attempt once nothing can take money any more; otherwise
    /// throws 409 <c>payment_not_cancelable</c> (finish it or wait) or <c>already_paid</c>.
    /// </summary>
    public async Task<PaymentAttempt> CancelFromLinkAsync(string paymentRef, StartPaymentCommand link, CancellationToken cancellationToken)
    {
        var opened = await checkout.OpenLinkAsync(link, cancellationToken);
        var read = PaymentReferences.IsWellFormedPaymentRef(paymentRef) ? await store.GetAttemptAsync(paymentRef, cancellationToken) : null;
        if (read is null || read.Value.SessionId != opened.Session.Id)
        {
            throw new GatewayProblemException(404, "payment_not_found", "There is no such payment.");
        }
        var attempt = (await CancelAsync(paymentRef, cancellationToken)).Attempt ?? read.Value;
        if (attempt.IsProcessed)
        {
            throw PaymentInFlightGuard.AlreadyPaid(attempt.PaymentRef);
        }
        if (!PaymentInFlightRule.MayStillTakeMoney(attempt))
        {
            return attempt;
        }
        var problem = new GatewayProblemException(409, "payment_not_cancelable", "This payment cannot be cancelled here.",
            "Finish it at the payment provider, or wait until it is settled.");
        problem.Extensions["paymentRef"] = attempt.PaymentRef;
        problem.Extensions["status"] = PaymentInFlightGuard.StatusWord(attempt.Status);
        problem.Extensions["continueUrl"] = attempt.Status is PaymentStatus.AwaitingShopper or PaymentStatus.Pending ? attempt.ContinueUrl : null;
        throw problem;
    }
}
