using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>What Snipcart refusing or failing a state, again and again, leaves on the attempt: a person is asked to
/// look; an attempt is given up only when no money is at stake.</summary>
public sealed class SnipcartFailureRhythmTests
{
    private const int Max = 20;

    [Theory]
    // status, a provider status was seen, state being told, failures → abandoned, log now
    [InlineData(PaymentStatus.Paid, true, SnipcartPaymentState.Processed, Max, false, true)]
    [InlineData(PaymentStatus.Paid, true, SnipcartPaymentState.Processed, Max + 1, false, false)]
    // "processing" for money pending at the provider: it may still be paid, so it is kept and checked.
    [InlineData(PaymentStatus.Pending, true, SnipcartPaymentState.Processing, Max, false, true)]
    [InlineData(PaymentStatus.Pending, true, SnipcartPaymentState.Processing, Max + 3, false, false)]
    [InlineData(PaymentStatus.Authorized, true, SnipcartPaymentState.Processing, Max, false, true)]
    // Nothing at stake: a "failed" of a declined payment, a payment nobody opened.
    [InlineData(PaymentStatus.Failed, true, SnipcartPaymentState.Failed, Max, true, true)]
    [InlineData(PaymentStatus.Failed, true, SnipcartPaymentState.Failed, Max + 1, true, true)]
    [InlineData(PaymentStatus.Pending, false, SnipcartPaymentState.Failed, Max, true, true)]
    [InlineData(PaymentStatus.AwaitingShopper, true, SnipcartPaymentState.Failed, Max, true, true)]
    public void Gives_up_only_when_no_money_is_at_stake(PaymentStatus status, bool providerAnswered, SnipcartPaymentState state, int failures, bool abandoned, bool logNow)
    {
        var attempt = new PaymentAttempt
        {
            PaymentRef = "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa",
            SessionId = "s",
            ProviderId = "sandboxpay",
            Mode = PaymentMode.Test,
            Amount = new Money(10m, "USD"),
            InvoiceJson = "{}",
            RefundKey = "k",
            Status = status,
            ProviderStatus = providerAnswered ? "whatever_the_provider_said" : null,
            ConfirmationFailures = failures,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };

        var log = Rhythm.AfterSnipcartFailed(attempt, state, Max);

        Assert.Equal((abandoned, true, logNow), (attempt.Abandoned, attempt.NeedsAttention, log));
    }

    [Fact]
    public void Below_the_cap_nothing_changes()
    {
        var attempt = new PaymentAttempt
        {
            PaymentRef = "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa", SessionId = "s", ProviderId = "sandboxpay", Mode = PaymentMode.Test,
            Amount = new Money(10m, "USD"), InvoiceJson = "{}", RefundKey = "k", Status = PaymentStatus.Failed, ConfirmationFailures = Max - 1, CreatedAt = DateTimeOffset.UnixEpoch,
        };

        Assert.False(Rhythm.AfterSnipcartFailed(attempt, SnipcartPaymentState.Failed, Max));
        Assert.Equal((false, false), (attempt.Abandoned, attempt.NeedsAttention));
    }
}
