using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Domain.Lifecycle.LifecycleStep;
using Trigger = SnipcartGateway.Domain.FinishTrigger;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>
/// The lifecycle's rules written a second time, as a table read top to bottom (the first row that fits a case
/// decides it), and checked against <see cref="PaymentLifecycle.Decide"/> for every combination of state, age, claim,
/// void capability, trigger, provider view, void answer and session answer.
/// </summary>
public sealed class PaymentLifecycleTableTests
{
    /// <summary>What a decision must be: the step and, where it matters, outcome, state to send, flag and closing.</summary>
    public sealed record Expect(LifecycleStep Step, FinishOutcome Outcome = default, SnipcartPaymentState? Send = null, string? Flag = null, bool Close = false, bool Reopen = false, string? GiveBack = null);

    private sealed record Row(string Rule, Func<LifecycleCase, bool> When, Func<LifecycleCase, Expect> Then);

    private static Expect Finish(FinishOutcome outcome) => new(LifecycleStep.Finish, outcome);
    private static Expect Save(FinishOutcome outcome, string? flag = null, bool close = false, bool reopen = false) => new(LifecycleStep.Save, outcome, null, flag, close, reopen);

    /// <summary>Telling Snipcart <paramref name="send"/>, by what the session answered.</summary>
    private static Expect Send(LifecycleCase c, SnipcartPaymentState send) => c.Session switch
    {
        SessionAnswer.NotAsked => new(ClaimSession, Send: send),
        SessionAnswer.Lost => new(Reread),
        SessionAnswer.Busy when c.Trigger == Trigger.ShopperReturn => new(Wait),
        SessionAnswer.Busy => Finish(FinishOutcome.Busy),
        SessionAnswer.PaidByAnother when c.View == ProviderView.Pending => Save(FinishOutcome.Closed, FlagCodes.PendingOnPaidSession, reopen: c.Abandoned),
        SessionAnswer.PaidByAnother when c.View == ProviderView.Paid => Save(FinishOutcome.Closed, FlagCodes.DuplicatePayment, close: true) with { GiveBack = FlagCodes.DuplicatePayment },
        SessionAnswer.PaidByAnother => Save(FinishOutcome.Closed, close: true),
        _ => new(TellSnipcart, Send: send, Reopen: c.Abandoned,
            Flag: c.Abandoned && send == SnipcartPaymentState.Processed ? FlagCodes.PaidAfterAbandoned : null),
    };

    private static readonly Row[] Table =
    [
        // Guards: whatever the provider says.
        new("giving back, the timer asks again", c => c.State == PaymentState.GivingBack && c.Trigger == Trigger.Reconciliation, _ => new(LifecycleStep.GiveBack)),
        new("giving back", c => c.State == PaymentState.GivingBack, _ => Finish(FinishOutcome.Closed)),
        new("late money", c => c.Trigger == Trigger.Notification && c.Final, _ => new(CheckLateMoney)),
        new("settled", c => c.Final, _ => Finish(FinishOutcome.Confirmed)),
        new("closed, the timer", c => c.State == PaymentState.Closed && c.Trigger == Trigger.Reconciliation, _ => Finish(FinishOutcome.Closed)),
        new("claimed, a shopper waits", c => c.Claimed && c.Trigger == Trigger.ShopperReturn, _ => new(Wait)),
        new("claimed", c => c.Claimed, _ => Finish(FinishOutcome.Busy)),
        new("never created, the timer closes", c => c.State == PaymentState.Created && c.Trigger == Trigger.Reconciliation, _ => Save(FinishOutcome.Closed, FlagCodes.NeverCreated, close: true)),
        new("never created", c => c.State == PaymentState.Created, _ => Finish(FinishOutcome.Waiting)),

        // Asking the provider.
        new("void unanswered, cancel stands", c => c.View == ProviderView.NotAsked && c.Void == VoidAnswer.Unreachable && c.Trigger == Trigger.ShopperCancel, _ => Finish(FinishOutcome.Canceled)),
        new("void unanswered", c => c.View == ProviderView.NotAsked && c.Void == VoidAnswer.Unreachable, _ => Finish(FinishOutcome.Unreachable)),
        new("look up", c => c.View == ProviderView.NotAsked, _ => new(LookUp)),
        new("return rejected", c => c.View == ProviderView.ReturnRejected, _ => Finish(FinishOutcome.Waiting)),
        new("lookups refused for a day", c => c.View == ProviderView.Refused && c.Trigger == Trigger.Reconciliation && c.Age == Age.Expired, _ => Save(FinishOutcome.Closed, FlagCodes.ProviderLookupRefused, close: true)),
        new("no answer", c => c.View is ProviderView.Refused or ProviderView.Unreachable, _ => Finish(FinishOutcome.Unreachable)),

        // The shopper cancelled: paid after all is confirmed below.
        new("void on cancel", c => c.Trigger == Trigger.ShopperCancel && c.View == ProviderView.AwaitingShopper && c.CanVoid && !c.ToldProcessing && c.Void == VoidAnswer.NotAsked, _ => new(LifecycleStep.Void)),
        new("cancelled", c => c.Trigger == Trigger.ShopperCancel && c.View != ProviderView.Paid, _ => Finish(FinishOutcome.Canceled)),

        // Authorised: captured first, never confirmed as it is (a provider that can void can capture).
        new("void a mismatched authorisation", c => c.View == ProviderView.AuthorizedMismatch && c.CanVoid && c.Void == VoidAnswer.NotAsked, _ => new(LifecycleStep.Void)),
        new("capture unanswered", c => c.View == ProviderView.Authorized && c.CanVoid && c.Capture == CaptureAnswer.Unreachable, _ => Finish(FinishOutcome.Unreachable)),
        new("void after a refused capture", c => c.View == ProviderView.Authorized && c.CanVoid && c.Capture == CaptureAnswer.Refused && c.Void == VoidAnswer.NotAsked, _ => new(LifecycleStep.Void)),
        new("capture refused", c => c.View == ProviderView.Authorized && c.CanVoid && c.Capture == CaptureAnswer.Refused, _ => Save(FinishOutcome.Waiting, FlagCodes.CaptureFailed)),
        new("capture settling", c => c.View == ProviderView.Authorized && c.CanVoid && c.Capture is CaptureAnswer.Captured or CaptureAnswer.Pending, _ => Save(FinishOutcome.Waiting)),
        new("check the session before capturing", c => c.View == ProviderView.Authorized && c.CanVoid && c.Session == SessionAnswer.NotAsked, _ => new(CheckSession)),
        new("void a duplicate authorisation", c => c.View == ProviderView.Authorized && c.CanVoid && c.Session == SessionAnswer.PaidByAnother && c.Void == VoidAnswer.NotAsked, _ => new(LifecycleStep.Void)),
        new("duplicate authorisation", c => c.View == ProviderView.Authorized && c.CanVoid && c.Session == SessionAnswer.PaidByAnother, _ => Save(FinishOutcome.Closed, FlagCodes.DuplicatePayment, close: true)),
        new("capture", c => c.View == ProviderView.Authorized && c.CanVoid, _ => new(LifecycleStep.Capture)),

        // Paid: "processed", once per session.
        new("paid", c => c.View == ProviderView.Paid, c => Send(c, SnipcartPaymentState.Processed)),

        // Nobody paid, and the checkout is over.
        new("void expired", c => c.View == ProviderView.AwaitingShopper && c.Age == Age.Expired && c.Trigger == Trigger.Reconciliation && c.CanVoid && c.Void == VoidAnswer.NotAsked, _ => new(LifecycleStep.Void)),
        new("void refused", c => c.View == ProviderView.AwaitingShopper && c.Age == Age.Expired && c.Trigger == Trigger.Reconciliation && c.CanVoid && c.Void == VoidAnswer.Refused, _ => Save(FinishOutcome.Waiting, FlagCodes.VoidRefused)),
        new("expired after processing", c => c.View == ProviderView.AwaitingShopper && c.Age == Age.Expired && c.Trigger == Trigger.Reconciliation && c.ToldProcessing, c => Send(c, SnipcartPaymentState.Failed)),
        new("expired", c => c.View == ProviderView.AwaitingShopper && c.Age == Age.Expired && c.Trigger == Trigger.Reconciliation, _ => Save(FinishOutcome.Closed, close: true)),
        new("awaiting the shopper", c => c.View == ProviderView.AwaitingShopper, _ => Save(FinishOutcome.Waiting)),

        // Declined, cancelled at the provider, or not verified.
        new("declined, someone waits", c => c.ViewFailed && (c.Trigger == Trigger.ShopperReturn || c.ToldProcessing), c => Send(c, SnipcartPaymentState.Failed)),
        new("declined, the timer closes", c => c.ViewFailed && c.Trigger == Trigger.Reconciliation, _ => Save(FinishOutcome.Closed, close: true)),
        new("declined", c => c.ViewFailed, _ => Save(FinishOutcome.Waiting)),

        // Money committed and not settled.
        new("pending, the shopper returns", c => c.ViewPending && c.Trigger == Trigger.ShopperReturn && !c.ToldProcessing, c => Send(c, SnipcartPaymentState.Processing)),
        new("pending for a day", c => c.ViewPending && c.Trigger == Trigger.Reconciliation && c.Age == Age.Expired, _ => Save(FinishOutcome.Waiting, FlagCodes.PendingTooLong)),
        new("pending", c => c.ViewPending, _ => Save(FinishOutcome.Waiting)),
    ];

    /// <summary>Paid, but not as we asked for it: whatever Snipcart is told and whatever is written, the money goes back.</summary>
    private static Expect MismatchedMoneyGoesBack(LifecycleCase c, Expect expected) =>
        c.View == ProviderView.Mismatched && expected.Step is LifecycleStep.Save or TellSnipcart && expected.GiveBack is null
            ? expected with { GiveBack = FlagCodes.PaymentMismatch }
            : expected;

    private static readonly int FirstViewRow = Array.FindIndex(Table, r => r.Rule == "paid");

    /// <summary>What holds whichever row decides a view: mismatched money goes back, and a refused capture is flagged.</summary>
    private static Expect AfterTheView(LifecycleCase c, Expect expected)
    {
        expected = MismatchedMoneyGoesBack(c, expected);
        return c.Capture == CaptureAnswer.Refused && expected.Step is LifecycleStep.Save or TellSnipcart && expected.Flag is null
            ? expected with { Flag = FlagCodes.CaptureFailed }
            : expected;
    }

    [Fact]
    public void Every_combination_is_decided_as_the_table_says()
    {
        var used = new HashSet<string>();
        var wrong = new List<string>();
        var count = 0;
        foreach (var c in LifecycleCase.All())
        {
            count++;
            var row = Table.FirstOrDefault(r => r.When(c)) ?? throw new InvalidOperationException($"No row decides {c}");
            used.Add(row.Rule);
            // The rows from "paid" on speak of what the provider said; there, mismatched money goes back.
            var expected = Array.IndexOf(Table, row) >= FirstViewRow ? AfterTheView(c, row.Then(c)) : row.Then(c);
            var actual = Summarise(PaymentLifecycle.Decide(c.Input()));
            if (actual != expected && wrong.Count < 20)
            {
                wrong.Add($"{c} [{row.Rule}]: expected {expected}, got {actual}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
        Assert.Equal(Table.Select(r => r.Rule).Order(), used.Order());
        var expectedCount = Enum.GetValues<PaymentState>().Length * 2 * 2 * 2 * Enum.GetValues<Trigger>().Length
            * Enum.GetValues<ProviderView>().Length * Enum.GetValues<VoidAnswer>().Length * Enum.GetValues<SessionAnswer>().Length
            * Enum.GetValues<CaptureAnswer>().Length;
        Assert.Equal(expectedCount, count);
    }

    /// <summary>The parts of a decision the table speaks of; the rest only matter for the steps that use them.</summary>
    private static Expect Summarise(LifecycleDecision d) => d.Step switch
    {
        LifecycleStep.Finish => Finish(d.Outcome),
        LifecycleStep.Save => new(LifecycleStep.Save, d.Outcome, null, d.Flag?.Code, d.Close, d.Reopen, d.GiveBack),
        ClaimSession => new(ClaimSession, Send: d.Send),
        TellSnipcart => new(TellSnipcart, Send: d.Send, Flag: d.Flag?.Code, Reopen: d.Reopen, GiveBack: d.GiveBack),
        _ => new(d.Step),
    };
}
