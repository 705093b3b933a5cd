using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Tests.Domain.Lifecycle.LifecycleAttempts;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>A provider's answer turned into the view the lifecycle decides on: checked against the attempt (10.00 USD,
/// <see cref="LifecycleAttempts.Ref"/>) before anything counts as paid or authorised.</summary>
public sealed class ProviderViewsTests
{
    private static ProviderView Classify(PaymentStatus status, decimal? amount, string currency = "USD", string? reference = Ref,
        decimal? refunded = null, string refundCurrency = "USD", bool echoesAmount = true, bool echoesReference = true,
        SnipcartPaymentState? confirmed = null) =>
        Classify(status, amount, currency, reference, refunded, refundCurrency, echoesAmount, echoesReference, confirmed, out _);

    private static ProviderView Classify(PaymentStatus status, decimal? amount, string currency, string? reference, decimal? refunded,
        string refundCurrency, bool echoesAmount, bool echoesReference, SnipcartPaymentState? confirmed, out string? mismatch)
    {
        var attempt = New();
        attempt.ConfirmedState = confirmed;
        return ProviderViews.Classify(attempt, status, amount is { } a ? new Money(a, currency) : null, reference,
            refunded is { } r ? new Money(r, refundCurrency) : null, echoesAmount, echoesReference, out mismatch);
    }

    [Theory]
    [InlineData(PaymentStatus.AwaitingShopper, ProviderView.AwaitingShopper)]
    [InlineData(PaymentStatus.Failed, ProviderView.Failed)]
    [InlineData(PaymentStatus.Canceled, ProviderView.Canceled)]
    [InlineData(PaymentStatus.Pending, ProviderView.Pending)]
    public void A_status_with_no_money_taken_is_its_view_whatever_the_amount(PaymentStatus status, ProviderView view)
    {
        // Nothing is verified where nothing was paid: a wrong amount and reference, or none, change nothing.
        Assert.Equal(view, Classify(status, 99m, "EUR", "someone-else", 10m, "USD", true, true, null, out var mismatch));
        Assert.Null(mismatch);
        Assert.Equal(view, Classify(status, null, "USD", null, null, "USD", true, true, null, out mismatch));
        Assert.Null(mismatch);
    }

    [Theory]
    // status, amount, currency, reference → view
    [InlineData(PaymentStatus.Paid, 10.0, "USD", Ref, ProviderView.Paid)]
    [InlineData(PaymentStatus.Paid, 10.01, "USD", Ref, ProviderView.Mismatched)]
    [InlineData(PaymentStatus.Paid, 10.0, "EUR", Ref, ProviderView.Mismatched)]
    [InlineData(PaymentStatus.Paid, 10.0, "USD", "pay_someoneelse00000000000000", ProviderView.Mismatched)]
    [InlineData(PaymentStatus.Authorized, 10.0, "USD", Ref, ProviderView.Authorized)]
    [InlineData(PaymentStatus.Authorized, 9.99, "USD", Ref, ProviderView.AuthorizedMismatch)]
    [InlineData(PaymentStatus.Authorized, 10.0, "JPY", Ref, ProviderView.AuthorizedMismatch)]
    [InlineData(PaymentStatus.Authorized, 10.0, "USD", "pay_someoneelse00000000000000", ProviderView.AuthorizedMismatch)]
    public void Paid_or_authorised_counts_only_for_the_amount_currency_and_reference_asked_for(PaymentStatus status, double amount, string currency, string reference, ProviderView view)
    {
        var classified = Classify(status, (decimal)amount, currency, reference, null, "USD", true, true, null, out var mismatch);

        Assert.Equal(view, classified);
        Assert.Equal(view is ProviderView.Paid or ProviderView.Authorized, mismatch is null);
        if (mismatch is not null)
        {
            Assert.Equal(PaymentVerification.FindMismatch(New(), new Money((decimal)amount, currency), reference), mismatch);
        }
    }

    [Theory]
    // status, echoes the amount, echoes the reference → view, when the provider's answer has neither
    [InlineData(PaymentStatus.Paid, true, false, ProviderView.Mismatched)]
    [InlineData(PaymentStatus.Paid, false, true, ProviderView.Mismatched)]
    [InlineData(PaymentStatus.Paid, false, false, ProviderView.Paid)]
    [InlineData(PaymentStatus.Authorized, true, false, ProviderView.AuthorizedMismatch)]
    [InlineData(PaymentStatus.Authorized, false, true, ProviderView.AuthorizedMismatch)]
    [InlineData(PaymentStatus.Authorized, false, false, ProviderView.Authorized)]
    public void An_answer_that_leaves_out_what_the_provider_says_it_echoes_is_not_verified(PaymentStatus status, bool echoesAmount, bool echoesReference, ProviderView view)
    {
        Assert.Equal(view, Classify(status, null, reference: null, echoesAmount: echoesAmount, echoesReference: echoesReference));
    }

    [Theory]
    // refunded amount, its currency, what Snipcart was told → view
    [InlineData(null, "USD", null, ProviderView.Paid)]
    [InlineData(0.0, "USD", null, ProviderView.Paid)]
    [InlineData(9.99, "USD", null, ProviderView.Paid)]
    [InlineData(10.0, "USD", null, ProviderView.RefundedInFull)]
    [InlineData(12.0, "USD", null, ProviderView.RefundedInFull)]
    [InlineData(10.0, "EUR", null, ProviderView.Paid)]
    [InlineData(10.0, "USD", SnipcartPaymentState.Processing, ProviderView.RefundedInFull)]
    [InlineData(10.0, "USD", SnipcartPaymentState.Failed, ProviderView.RefundedInFull)]
    // Confirmed "processed": a refund since is Snipcart's (the late-money path), not a reason to fail the payment.
    [InlineData(10.0, "USD", SnipcartPaymentState.Processed, ProviderView.Paid)]
    public void Paid_and_refunded_in_full_before_it_was_confirmed_is_no_payment(double? refunded, string refundCurrency, SnipcartPaymentState? confirmed, ProviderView view)
    {
        var classified = Classify(PaymentStatus.Paid, 10m, "USD", Ref, (decimal?)refunded, refundCurrency, true, true, confirmed, out var mismatch);

        Assert.Equal(view, classified);
        Assert.Equal(view == ProviderView.RefundedInFull
            ? $"The provider reports it refunded in full ({new Money((decimal)refunded!.Value, refundCurrency)}) before it was confirmed."
            : null, mismatch);
    }

    [Fact]
    public void A_refund_is_not_looked_at_for_an_authorisation()
    {
        Assert.Equal(ProviderView.Authorized, Classify(PaymentStatus.Authorized, 10m, refunded: 10m));
    }

    [Theory]
    // view, the reference the provider gave (null: none) → describes this payment
    [InlineData(ProviderView.Paid, null, true)]
    [InlineData(ProviderView.Paid, Ref, true)]
    [InlineData(ProviderView.Paid, "pay_someoneelse00000000000000", false)]
    [InlineData(ProviderView.Paid, "PAY_0123456789ABCDEFGHIJKLMNOP", false)]
    [InlineData(ProviderView.Pending, null, true)]
    [InlineData(ProviderView.Pending, "pay_someoneelse00000000000000", false)]
    [InlineData(ProviderView.AwaitingShopper, Ref, true)]
    [InlineData(ProviderView.Failed, null, true)]
    [InlineData(ProviderView.Canceled, Ref, true)]
    [InlineData(ProviderView.Authorized, Ref, true)]
    [InlineData(ProviderView.Mismatched, null, false)]
    [InlineData(ProviderView.Mismatched, Ref, false)]
    [InlineData(ProviderView.RefundedInFull, Ref, false)]
    [InlineData(ProviderView.RefundedInFull, null, false)]
    [InlineData(ProviderView.AuthorizedMismatch, Ref, false)]
    [InlineData(ProviderView.AuthorizedMismatch, null, false)]
    public void Only_an_answer_checked_against_this_attempt_describes_it(ProviderView view, string? reference, bool describes)
    {
        Assert.Equal(describes, ProviderViews.DescribesThisPayment(view, reference, Ref));
    }
}
