using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Tests.Domain.Lifecycle.LifecycleAttempts;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>Where a stored attempt stands, derived from what is stored: each field that decides it, and the order in
/// which they do.</summary>
public sealed class PaymentStatesTests
{
    [Theory]
    // status, what Snipcart accepted, abandoned, has a provider payment id → state
    [InlineData(PaymentStatus.Pending, null, false, false, PaymentState.Created)]
    [InlineData(PaymentStatus.Paid, null, false, false, PaymentState.Created)]
    [InlineData(PaymentStatus.AwaitingShopper, null, false, true, PaymentState.AwaitingShopper)]
    [InlineData(PaymentStatus.Pending, null, false, true, PaymentState.Pending)]
    [InlineData(PaymentStatus.Authorized, null, false, true, PaymentState.Pending)]
    [InlineData(PaymentStatus.Failed, null, false, true, PaymentState.Declined)]
    [InlineData(PaymentStatus.Canceled, null, false, true, PaymentState.Declined)]
    [InlineData(PaymentStatus.Paid, null, false, true, PaymentState.Paid)]
    [InlineData(PaymentStatus.Paid, SnipcartPaymentState.Processing, false, true, PaymentState.Paid)]
    [InlineData(PaymentStatus.Pending, SnipcartPaymentState.Processing, false, true, PaymentState.ToldProcessing)]
    [InlineData(PaymentStatus.AwaitingShopper, SnipcartPaymentState.Processing, false, true, PaymentState.ToldProcessing)]
    [InlineData(PaymentStatus.Failed, SnipcartPaymentState.Processing, false, true, PaymentState.ToldProcessing)]
    [InlineData(PaymentStatus.Paid, SnipcartPaymentState.Processed, false, true, PaymentState.Processed)]
    [InlineData(PaymentStatus.Paid, SnipcartPaymentState.Processed, true, true, PaymentState.Processed)]
    [InlineData(PaymentStatus.Failed, SnipcartPaymentState.Failed, false, true, PaymentState.Failed)]
    [InlineData(PaymentStatus.Failed, SnipcartPaymentState.Invalidated, false, true, PaymentState.Failed)]
    [InlineData(PaymentStatus.AwaitingShopper, SnipcartPaymentState.Failed, true, true, PaymentState.Failed)]
    [InlineData(PaymentStatus.AwaitingShopper, null, true, true, PaymentState.Closed)]
    [InlineData(PaymentStatus.Pending, null, true, false, PaymentState.Closed)]
    [InlineData(PaymentStatus.Failed, null, true, true, PaymentState.Closed)]
    [InlineData(PaymentStatus.Authorized, null, true, true, PaymentState.Closed)]
    [InlineData(PaymentStatus.Paid, null, true, true, PaymentState.GivenUpPaid)]
    [InlineData(PaymentStatus.Paid, SnipcartPaymentState.Processing, true, true, PaymentState.GivenUpPaid)]
    public void A_stored_attempt_is_in_the_state_its_fields_say(PaymentStatus status, SnipcartPaymentState? confirmed, bool abandoned, bool created, PaymentState state)
    {
        var attempt = New(status: status);
        attempt.ConfirmedState = confirmed;
        attempt.Abandoned = abandoned;
        attempt.ProviderPaymentId = created ? "provider-id" : null;

        Assert.Equal(state, PaymentStates.Of(attempt));
    }

    [Theory]
    // give-back state, abandoned, what Snipcart accepted → state
    [InlineData(GiveBackState.Requested, true, null, PaymentState.GivingBack)]
    [InlineData(GiveBackState.Pending, false, null, PaymentState.GivingBack)]
    [InlineData(GiveBackState.Pending, true, SnipcartPaymentState.Processed, PaymentState.GivingBack)]
    // Given back (or left to a person): closed, and never a paid attempt to confirm.
    [InlineData(GiveBackState.Done, true, null, PaymentState.Closed)]
    [InlineData(GiveBackState.Refused, true, null, PaymentState.Closed)]
    [InlineData(GiveBackState.ByHand, true, SnipcartPaymentState.Processing, PaymentState.Closed)]
    [InlineData(GiveBackState.Done, false, null, PaymentState.Paid)]
    public void Money_being_given_back_comes_before_anything_else(GiveBackState giveBack, bool abandoned, SnipcartPaymentState? confirmed, PaymentState state)
    {
        var attempt = New(status: PaymentStatus.Paid);
        GiveBacks.Decide(attempt, FlagCodes.DuplicatePayment, Now);
        attempt.GiveBackState = giveBack;
        attempt.Abandoned = abandoned;
        attempt.ConfirmedState = confirmed;

        Assert.Equal(state, PaymentStates.Of(attempt));
    }

    [Theory]
    [InlineData(FlagCodes.DuplicatePayment, PaymentState.Closed)]
    [InlineData(FlagCodes.ConfirmationOverdue, PaymentState.GivenUpPaid)]
    [InlineData(FlagCodes.PaymentMismatch, PaymentState.GivenUpPaid)]
    [InlineData(null, PaymentState.GivenUpPaid)]
    public void A_paid_attempt_given_up_is_confirmable_unless_it_was_closed_as_a_duplicate(string? code, PaymentState state)
    {
        var attempt = New(status: PaymentStatus.Paid);
        attempt.Abandoned = true;
        attempt.FailureCode = code;

        Assert.Equal(state, PaymentStates.Of(attempt));
    }

    [Theory]
    [InlineData(PaymentState.Processed, true)]
    [InlineData(PaymentState.Failed, true)]
    [InlineData(PaymentState.Created, false)]
    [InlineData(PaymentState.AwaitingShopper, false)]
    [InlineData(PaymentState.Pending, false)]
    [InlineData(PaymentState.Declined, false)]
    [InlineData(PaymentState.Paid, false)]
    [InlineData(PaymentState.ToldProcessing, false)]
    [InlineData(PaymentState.Closed, false)]
    [InlineData(PaymentState.GivenUpPaid, false)]
    [InlineData(PaymentState.GivingBack, false)]
    public void Only_processed_and_failed_are_final(PaymentState state, bool final)
    {
        Assert.Equal(final, state.IsFinal());
    }
}
