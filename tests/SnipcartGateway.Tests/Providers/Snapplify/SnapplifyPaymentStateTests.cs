using SnipcartGateway.Domain;
using SnipcartGateway.Providers.Snapplify;

namespace SnipcartGateway.Tests.Providers.Snapplify;

/// <summary>Snapplify's paymentState words as a table: the state each is, what it means for the payment, and whether
/// it belongs to an ordinary checkout.</summary>
public sealed class SnapplifyPaymentStateTests
{
    [Theory]
    [InlineData("NEW", SnapplifyPaymentState.New, PaymentStatus.AwaitingShopper, true)]
    [InlineData("PENDING", SnapplifyPaymentState.Pending, PaymentStatus.Pending, true)]
    [InlineData("COMPLETED", SnapplifyPaymentState.Completed, PaymentStatus.Paid, true)]
    [InlineData("PAID", SnapplifyPaymentState.Paid, PaymentStatus.Paid, true)]
    [InlineData("ERROR", SnapplifyPaymentState.Error, PaymentStatus.Failed, true)]
    [InlineData("DECLINED", SnapplifyPaymentState.Declined, PaymentStatus.Failed, true)]
    [InlineData("FAILED", SnapplifyPaymentState.Declined, PaymentStatus.Failed, true)]
    [InlineData("CANCELLED", SnapplifyPaymentState.Cancelled, PaymentStatus.Canceled, false)]
    [InlineData("CANCELED", SnapplifyPaymentState.Cancelled, PaymentStatus.Canceled, false)]
    [InlineData("REFUNDED", SnapplifyPaymentState.Unknown, PaymentStatus.Pending, false)]
    [InlineData("CHARGEBACK", SnapplifyPaymentState.Unknown, PaymentStatus.Pending, false)]
    [InlineData("", SnapplifyPaymentState.Unknown, PaymentStatus.Pending, false)]
    [InlineData(null, SnapplifyPaymentState.Unknown, PaymentStatus.Pending, false)]
    public void Each_word_is_one_state(string? wire, SnapplifyPaymentState state, PaymentStatus payment, bool checkout)
    {
        var parsed = SnapplifyPaymentStates.Parse(wire);

        Assert.Equal(state, parsed);
        Assert.Equal(payment, parsed.ToPaymentStatus());
        Assert.Equal(checkout, parsed.IsCheckoutState());
    }

    [Theory]
    [InlineData(" completed ")]
    [InlineData("Completed")]
    public void Words_are_read_without_case_or_surrounding_spaces(string wire) =>
        Assert.Equal(SnapplifyPaymentState.Completed, SnapplifyPaymentStates.Parse(wire));
}
