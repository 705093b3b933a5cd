namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>
/// Where an attempt is in its lifecycle. Derived from what is stored (<see cref="PaymentStates.Of"/>), never
/// stored itself, so attempts written before the lifecycle had names keep working unchanged.
/// </summary>
public enum PaymentState
{
    /// <summary>Ours, but the provider never answered the create (no provider payment id).</summary>
    Created,
    /// <summary>The provider's checkout exists and the shopper has not acted on it: no money committed.</summary>
    AwaitingShopper,
    /// <summary>Money committed and not settled at the provider (or not looked at since the create).</summary>
    Pending,
    /// <summary>The provider declined or the shopper cancelled; Snipcart was not told and the attempt is open.</summary>
    Declined,
    /// <summary>Paid at the provider; Snipcart has not accepted "processed" yet.</summary>
    Paid,
    /// <summary>Snipcart was told "processing" and awaits the final word.</summary>
    ToldProcessing,
    /// <summary>Snipcart accepted "processed". Final.</summary>
    Processed,
    /// <summary>Snipcart accepted "failed". Final.</summary>
    Failed,
    /// <summary>Given up without a final word to Snipcart (unpaid, paid by another attempt, or left to a person).</summary>
    Closed,
    /// <summary>Paid, never confirmed, and given up by an earlier version: any trigger may still confirm it.</summary>
    GivenUpPaid,
    /// <summary>Money the order does not keep (a duplicate payment, a payment that failed verification) is being given
    /// back through the provider; the timer asks again until the provider gives a final answer.</summary>
    GivingBack,
}

public static class PaymentStates
{
    public static PaymentState Of(PaymentAttempt attempt)
    {
        if (attempt.IsGivingBack)
        {
            return PaymentState.GivingBack;
        }
        if (attempt.ConfirmedState == SnipcartPaymentState.Processed)
        {
            return PaymentState.Processed;
        }
        if (attempt.ConfirmedState is { } final && final.IsFinal())
        {
            return PaymentState.Failed;
        }
        if (attempt.Abandoned)
        {
            return WasPaidAndGivenUp(attempt) ? PaymentState.GivenUpPaid : PaymentState.Closed;
        }
        if (attempt.ProviderPaymentId is null)
        {
            return PaymentState.Created;
        }
        if (attempt.Status == PaymentStatus.Paid)
        {
            return PaymentState.Paid;
        }
        if (attempt.ConfirmedState == SnipcartPaymentState.Processing)
        {
            return PaymentState.ToldProcessing;
        }
        return attempt.Status switch
        {
            PaymentStatus.AwaitingShopper => PaymentState.AwaitingShopper,
            PaymentStatus.Failed or PaymentStatus.Canceled => PaymentState.Declined,
            _ => PaymentState.Pending,
        };
    }

    public static bool IsFinal(this PaymentState state) => state is PaymentState.Processed or PaymentState.Failed;

    /// <summary>Paid, never confirmed, and given up by an earlier version (Snipcart refused or was down too long):
    /// any trigger may still confirm it, through the same claims. A duplicate payment is closed on purpose, and money
    /// being (or that was) given back is never confirmed, whatever its flag says now.</summary>
    private static bool WasPaidAndGivenUp(PaymentAttempt attempt) =>
        attempt.Abandoned && attempt.Status == PaymentStatus.Paid && attempt.ConfirmedState is null or SnipcartPaymentState.Processing
        && attempt.FailureCode != FlagCodes.DuplicatePayment && attempt.GiveBackRefundId is null;
}
