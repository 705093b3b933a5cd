using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

/// <summary>The one-payment-in-flight rule as a table: what the session names, how its attempt stands, the verdict.</summary>
public sealed class PaymentInFlightRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private const string Named = "pay_aaaaaaaaaaaaaaaaaaaaaaaaaa";

    public enum Stored { Pending, AwaitingShopper, PaidUnconfirmed, Authorized, Failed, Canceled, Abandoned, ToldProcessing, Missing }

    [Theory]
    // The attempt may still take (or has taken) the money: a second Pay starts nothing.
    [InlineData(Stored.Pending, true, InFlightVerdict.InProgress, false)]
    [InlineData(Stored.AwaitingShopper, true, InFlightVerdict.InProgress, true)]
    [InlineData(Stored.AwaitingShopper, false, InFlightVerdict.InProgress, false)]
    [InlineData(Stored.PaidUnconfirmed, true, InFlightVerdict.InProgress, false)]
    [InlineData(Stored.ToldProcessing, true, InFlightVerdict.InProgress, false)]
    // Authorised, not yet captured (manual capture, or a capture the provider left pending): the gateway captures it.
    [InlineData(Stored.Authorized, true, InFlightVerdict.InProgress, false)]
    // Known unpaid (declined, cancelled, given up) or confirmed failed: the shopper may try again.
    [InlineData(Stored.Failed, true, InFlightVerdict.Allow, false)]
    [InlineData(Stored.Canceled, true, InFlightVerdict.Allow, false)]
    [InlineData(Stored.Abandoned, true, InFlightVerdict.Allow, false)]
    public void An_attempt_that_may_still_take_money_blocks_another(Stored stored, bool providerCanCancel, InFlightVerdict verdict, bool canCancel)
    {
        var decision = PaymentInFlightRule.Decide(SessionNaming(Named), Attempt(stored), providerCanCancel, Now);

        Assert.Equal(verdict, decision.Verdict);
        Assert.Equal(canCancel, decision.CanCancel);
        Assert.Equal(verdict == InFlightVerdict.InProgress ? Named : null, decision.PaymentRef);
    }

    [Theory]
    // Another tab wrote the session and is creating its attempt right now.
    [InlineData(0, InFlightVerdict.InProgress)]
    [InlineData(119, InFlightVerdict.InProgress)]
    // A crash between the session's write and the attempt's: the name points nowhere for good.
    [InlineData(120, InFlightVerdict.Allow)]
    [InlineData(121, InFlightVerdict.Allow)]
    public void A_named_attempt_not_written_yet_blocks_only_while_it_can_still_be_starting(int secondsAgo, InFlightVerdict verdict)
    {
        var session = SessionNaming(Named);
        session.InFlightSince = Now.AddSeconds(-secondsAgo);

        Assert.Equal(verdict, PaymentInFlightRule.Decide(session, null, providerCanCancel: true, Now).Verdict);
    }

    [Fact]
    public void A_session_that_names_no_attempt_allows_one()
    {
        // New sessions, and sessions recorded before the rule.
        Assert.Equal(InFlightVerdict.Allow, PaymentInFlightRule.Decide(new PaymentSessionRecord { SessionId = "s" }, null, true, Now).Verdict);
    }

    [Fact]
    public void A_paid_session_is_already_paid_whatever_else_it_names()
    {
        var session = SessionNaming(Named);
        session.ProcessedPaymentRef = "pay_bbbbbbbbbbbbbbbbbbbbbbbbbb";

        var decision = PaymentInFlightRule.Decide(session, Attempt(Stored.AwaitingShopper), true, Now);

        Assert.Equal(InFlightVerdict.AlreadyPaid, decision.Verdict);
        Assert.Equal(session.ProcessedPaymentRef, decision.PaymentRef);
    }

    private static PaymentSessionRecord SessionNaming(string paymentRef) =>
        new() { SessionId = "s", InFlightPaymentRef = paymentRef, InFlightSince = Now.AddMinutes(-1) };

    private static PaymentAttempt? Attempt(Stored stored)
    {
        if (stored == Stored.Missing)
        {
            return null;
        }
        var attempt = new PaymentAttempt
        {
            PaymentRef = Named,
            SessionId = "s",
            ProviderId = "sandboxpay",
            Mode = PaymentMode.Test,
            Amount = new Money(10m, "USD"),
            InvoiceJson = "{}",
            RefundKey = "k",
            CreatedAt = Now.AddMinutes(-1),
        };
        switch (stored)
        {
            case Stored.AwaitingShopper: attempt.Status = PaymentStatus.AwaitingShopper; break;
            case Stored.PaidUnconfirmed: attempt.Status = PaymentStatus.Paid; break;
            case Stored.Authorized: attempt.Status = PaymentStatus.Authorized; break;
            case Stored.Failed: attempt.Status = PaymentStatus.Failed; break;
            case Stored.Canceled: attempt.Status = PaymentStatus.Canceled; break;
            case Stored.Abandoned: attempt.Status = PaymentStatus.AwaitingShopper; attempt.Abandoned = true; break;
            case Stored.ToldProcessing: attempt.Status = PaymentStatus.Pending; attempt.ConfirmedState = SnipcartPaymentState.Processing; break;
        }
        return attempt;
    }
}
