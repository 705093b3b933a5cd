using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

/// <summary>The attempt's own bookkeeping: claims to tell Snipcart, what the provider said, and refund reservations.</summary>
public sealed class PaymentAttemptTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static PaymentAttempt NewAttempt() => new()
    {
        PaymentRef = "pay_abcdefghijklmnopqrstuvwxyz",
        SessionId = "s1",
        ProviderId = "sandboxpay",
        Mode = PaymentMode.Test,
        Amount = new Money(100m, "usd"),
        InvoiceJson = "{}",
        RefundKey = "k",
        CreatedAt = Now.AddMinutes(-10),
        ProviderPaymentId = "sp_1",
    };

    [Fact]
    public void A_claim_is_live_until_its_lease_ends()
    {
        var attempt = NewAttempt();
        Assert.False(attempt.HasLiveClaim(Now));

        attempt.Claim(SnipcartPaymentState.Processed, "c1", Now, Lease);

        Assert.Equal(SnipcartPaymentState.Processed, attempt.ClaimedState);
        Assert.Equal("c1", attempt.ClaimId);
        Assert.Equal(Now + Lease, attempt.ClaimExpiresAt);
        Assert.Equal(Now, attempt.UpdatedAt);
        Assert.Null(attempt.UncertainState);
        Assert.True(attempt.HasLiveClaim(Now + Lease - TimeSpan.FromTicks(1)));
        Assert.False(attempt.HasLiveClaim(Now + Lease));
    }

    [Fact]
    public void Taking_over_an_expired_claim_makes_its_state_uncertain()
    {
        var attempt = NewAttempt();
        attempt.Claim(SnipcartPaymentState.Processing, "c1", Now, Lease);

        attempt.Claim(SnipcartPaymentState.Processed, "c2", Now + Lease, Lease);

        // The first holder may have died after Snipcart applied "processing".
        Assert.Equal(SnipcartPaymentState.Processing, attempt.UncertainState);
        Assert.Equal("c2", attempt.ClaimId);
        Assert.Equal(Now + Lease + Lease, attempt.ClaimExpiresAt);
    }

    [Fact]
    public void A_confirmed_claim_becomes_the_confirmed_state_and_clears_what_was_pending()
    {
        var attempt = NewAttempt();
        attempt.Claim(SnipcartPaymentState.Processing, "c0", Now, Lease);
        attempt.FailClaim("timeout", Now, mayHaveApplied: true);
        attempt.Claim(SnipcartPaymentState.Processed, "c1", Now, Lease);

        attempt.ConfirmClaim("https://shop.example/thanks", Now.AddSeconds(1));

        Assert.Equal(SnipcartPaymentState.Processed, attempt.ConfirmedState);
        Assert.Equal(Now.AddSeconds(1), attempt.ConfirmedAt);
        Assert.Equal("https://shop.example/thanks", attempt.ReturnUrl);
        Assert.Null(attempt.ClaimedState);
        Assert.Null(attempt.ClaimId);
        Assert.Null(attempt.ClaimExpiresAt);
        Assert.Null(attempt.UncertainState);
        Assert.Null(attempt.LastConfirmationError);
        Assert.Equal(0, attempt.ConfirmationFailures);
        Assert.Equal(Now.AddSeconds(1), attempt.UpdatedAt);
        Assert.True(attempt.IsProcessed);
        Assert.True(attempt.IsSettled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_confirmation_without_a_return_url_keeps_the_one_known(string? returnUrl)
    {
        var attempt = NewAttempt();
        attempt.ReturnUrl = "https://shop.example/first";
        attempt.Claim(SnipcartPaymentState.Processed, "c1", Now, Lease);

        attempt.ConfirmClaim(returnUrl, Now);

        Assert.Equal("https://shop.example/first", attempt.ReturnUrl);
    }

    [Fact]
    public void Confirming_without_a_claim_is_a_bug_and_says_so()
    {
        Assert.Equal("No claim to confirm.", Assert.Throws<InvalidOperationException>(() => NewAttempt().ConfirmClaim(null, Now)).Message);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, SnipcartPaymentState.Processed)]
    public void A_failed_claim_is_released_counted_and_uncertain_only_when_Snipcart_may_have_applied_it(bool mayHaveApplied, SnipcartPaymentState? uncertain)
    {
        var attempt = NewAttempt();
        attempt.Claim(SnipcartPaymentState.Processed, "c1", Now, Lease);

        attempt.FailClaim("502 from Snipcart", Now.AddSeconds(5), mayHaveApplied);
        attempt.Claim(SnipcartPaymentState.Processed, "c2", Now.AddSeconds(6), Lease);
        attempt.FailClaim("503 from Snipcart", Now.AddSeconds(7));

        Assert.Equal(uncertain, attempt.UncertainState);
        Assert.Null(attempt.ClaimId);
        Assert.Null(attempt.ClaimedState);
        Assert.Null(attempt.ClaimExpiresAt);
        Assert.Equal(2, attempt.ConfirmationFailures);
        Assert.Equal("503 from Snipcart", attempt.LastConfirmationError);
        Assert.Equal(Now.AddSeconds(7), attempt.UpdatedAt);
        Assert.Null(attempt.ConfirmedState);
    }

    [Theory]
    [InlineData(null, false, false)]
    [InlineData(SnipcartPaymentState.Processing, false, false)]
    [InlineData(SnipcartPaymentState.Processed, false, true)]
    [InlineData(SnipcartPaymentState.Failed, false, true)]
    [InlineData(SnipcartPaymentState.Invalidated, false, true)]
    [InlineData(null, true, true)]
    [InlineData(SnipcartPaymentState.Processing, true, true)]
    public void Settled_is_a_final_state_at_Snipcart_or_an_abandoned_attempt(SnipcartPaymentState? confirmed, bool abandoned, bool settled)
    {
        var attempt = NewAttempt();
        attempt.ConfirmedState = confirmed;
        attempt.Abandoned = abandoned;

        Assert.Equal(settled, attempt.IsSettled);
    }

    [Fact]
    public void Only_a_processed_payment_has_anything_to_refund_and_what_is_reserved_is_not_refundable()
    {
        var attempt = NewAttempt();
        attempt.RefundedAmount = 30m;
        Assert.Equal(new Money(0m, "USD"), attempt.RefundableAmount);

        attempt.ConfirmedState = SnipcartPaymentState.Processing;
        Assert.Equal(0m, attempt.RefundableAmount.Amount);

        attempt.ConfirmedState = SnipcartPaymentState.Processed;
        Assert.Equal(new Money(70m, "USD"), attempt.RefundableAmount);
    }

    [Fact]
    public void A_refused_refund_gives_its_reservation_back_once()
    {
        var attempt = NewAttempt();
        attempt.RefundedAmount = 50m;

        Assert.True(attempt.ReleaseRefund("r1", 30m, Now));
        Assert.False(attempt.ReleaseRefund("r1", 30m, Now.AddSeconds(1)));

        Assert.Equal(20m, attempt.RefundedAmount);
        Assert.Equal(Now, attempt.UpdatedAt);
        Assert.Contains("r1", attempt.ReleasedRefundIds);
    }

    [Fact]
    public void What_the_provider_said_is_recorded_and_the_first_payment_time_kept()
    {
        var attempt = NewAttempt();

        attempt.RecordProviderView(PaymentStatus.Pending, "pending", null, null, null, Now);
        Assert.Equal("sp_1", attempt.TransactionId);   // no transaction yet: the provider's payment id stands in
        Assert.Null(attempt.PaidAt);

        attempt.RecordProviderView(PaymentStatus.Paid, "succeeded", "tx_1", null, null, Now.AddMinutes(1));
        attempt.RecordProviderView(PaymentStatus.Paid, "succeeded", null, null, null, Now.AddMinutes(2));
        Assert.Equal("tx_1", attempt.TransactionId);   // a later answer without one keeps it
        Assert.Equal(Now.AddMinutes(1), attempt.PaidAt);

        attempt.RecordProviderView(PaymentStatus.Failed, "declined", "tx_2", "card_declined", "The card was declined.", Now.AddMinutes(3));
        Assert.Equal(PaymentStatus.Failed, attempt.Status);
        Assert.Equal("declined", attempt.ProviderStatus);
        Assert.Equal("tx_2", attempt.TransactionId);
        Assert.Equal("card_declined", attempt.FailureCode);
        Assert.Equal("The card was declined.", attempt.FailureMessage);
        Assert.Equal(Now.AddMinutes(3), attempt.UpdatedAt);
        Assert.Equal(Now.AddMinutes(1), attempt.PaidAt);
    }
}
