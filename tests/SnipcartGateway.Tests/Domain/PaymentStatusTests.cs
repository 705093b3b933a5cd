using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

/// <summary>What Snipcart is told for each provider status, how each state is spelled, and which are final.</summary>
public sealed class PaymentStatusTests
{
    [Theory]
    [InlineData(PaymentStatus.Paid, SnipcartPaymentState.Processed)]
    [InlineData(PaymentStatus.Failed, SnipcartPaymentState.Failed)]
    [InlineData(PaymentStatus.Canceled, SnipcartPaymentState.Failed)]
    [InlineData(PaymentStatus.Pending, SnipcartPaymentState.Processing)]
    [InlineData(PaymentStatus.AwaitingShopper, null)]
    public void Each_provider_status_tells_Snipcart_one_state_or_nothing(PaymentStatus status, SnipcartPaymentState? told) =>
        Assert.Equal(told, SnipcartPaymentStates.ForStatus(status));

    [Theory]
    [InlineData(SnipcartPaymentState.Processing, "processing", false)]
    [InlineData(SnipcartPaymentState.Processed, "processed", true)]
    [InlineData(SnipcartPaymentState.Invalidated, "invalidated", true)]
    [InlineData(SnipcartPaymentState.Failed, "failed", true)]
    public void Each_state_has_its_wire_word_and_only_processing_is_not_final(SnipcartPaymentState state, string wire, bool final)
    {
        Assert.Equal(wire, state.ToWire());
        Assert.Equal(final, state.IsFinal());
    }

    [Fact]
    public void A_state_Snipcart_does_not_know_is_never_sent() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((SnipcartPaymentState)42).ToWire());
}
