using System.Reflection;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

/// <summary>The store's contract as the core uses it: a conditional write that reports a lost race as false, and
/// the session's "someone else is telling Snipcart right now".</summary>
public sealed class PaymentStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly PaymentAttempt Attempt = new()
    {
        PaymentRef = "pay_abcdefghijklmnopqrstuvwxyz",
        SessionId = "s1",
        ProviderId = "sandboxpay",
        Mode = PaymentMode.Test,
        Amount = new Money(10m, "USD"),
        InvoiceJson = "{}",
        RefundKey = "k",
        CreatedAt = Now,
    };

    [Fact]
    public async Task A_conditional_write_that_lands_is_true()
    {
        var store = StoreWhoseUpdate(version => Task.FromResult(version + "+1"));

        Assert.True(await store.TryUpdateAttemptAsync(Attempt, "v1", CancellationToken.None));
    }

    [Fact]
    public async Task A_conditional_write_that_lost_the_race_is_false()
    {
        var store = StoreWhoseUpdate(_ => Task.FromException<string>(new ConcurrencyConflictException("changed")));

        Assert.False(await store.TryUpdateAttemptAsync(Attempt, "v1", CancellationToken.None));
    }

    [Fact]
    public async Task Any_other_failure_of_the_write_is_not_taken_for_a_lost_race()
    {
        var store = StoreWhoseUpdate(_ => Task.FromException<string>(new InvalidOperationException("storage down")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.TryUpdateAttemptAsync(Attempt, "v1", CancellationToken.None));
    }

    [Theory]
    [InlineData(null, 60, false)]              // nobody is confirming
    [InlineData("pay_me", 60, false)]          // it is this payment itself
    [InlineData("pay_other", 60, true)]
    [InlineData("pay_other", 0, false)]        // the other's turn has just ended
    [InlineData("pay_other", -60, false)]
    public void A_session_is_being_confirmed_by_another_only_while_its_turn_lasts(string? confirming, int secondsLeft, bool byAnother)
    {
        var session = new PaymentSessionRecord { SessionId = "s1", ConfirmingPaymentRef = confirming, ConfirmingUntil = Now.AddSeconds(secondsLeft) };

        Assert.Equal(byAnother, session.IsBeingConfirmedByAnother("pay_me", Now));
    }

    /// <summary>A store whose only working call is UpdateAttemptAsync (the others are not part of this contract).</summary>
    private static IPaymentStore StoreWhoseUpdate(Func<string, Task<string>> update)
    {
        var store = DispatchProxy.Create<IPaymentStore, UpdateOnlyStore>();
        ((UpdateOnlyStore)(object)store).Update = update;
        return store;
    }

    public class UpdateOnlyStore : DispatchProxy
    {
        public Func<string, Task<string>> Update { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod?.Name == nameof(IPaymentStore.UpdateAttemptAsync)
                ? Update((string)args![1]!)
                : throw new NotSupportedException(targetMethod?.Name);
    }
}
