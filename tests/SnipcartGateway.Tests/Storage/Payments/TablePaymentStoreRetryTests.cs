using Azure.Core;
using SnipcartGateway.Domain;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Payments;

/// <summary>
/// The SDK retries a write whose response was lost; the retry is refused because the first try already changed
/// the entity. The store must re-read and see its own write, not report a conflict.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TablePaymentStoreRetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task An_update_whose_response_was_lost_succeeds_with_the_stored_version()
    {
        var lose = new LoseNextResponse();
        var recorder = new RequestRecorder();
        var store = StorageTestSupport.NewStore(azurite, lose, recorder);
        var attempt = TablePaymentStoreTests.NewAttempt();
        await store.AddAttemptAsync(attempt);
        var read = (await store.GetAttemptAsync(attempt.PaymentRef))!;
        read.Value.ProviderStatus = "mine";

        recorder.Clear();
        lose.Arm(RequestMethod.Put);
        var version = await store.UpdateAttemptAsync(read.Value, read.Version);

        Assert.Equal(1, lose.Dropped);
        Assert.Equal(2, recorder.Requests.Count(r => r.StartsWith("PUT", StringComparison.Ordinal)));
        var stored = (await store.GetAttemptAsync(attempt.PaymentRef))!;
        Assert.Equal(stored.Version, version);
        Assert.Equal("mine", stored.Value.ProviderStatus);
    }

    [Fact]
    public async Task An_insert_whose_response_was_lost_succeeds_with_the_stored_version()
    {
        var lose = new LoseNextResponse();
        var store = StorageTestSupport.NewStore(azurite, lose);
        var refund = new RefundRecord { PaymentRef = "pay_r", RefundId = "rf_1", Amount = new Money(5m, "USD"), RequestedAt = DateTimeOffset.UtcNow };
        await store.GetRefundAsync("pay_r", "none");
        var attempt = TablePaymentStoreTests.NewAttempt();

        lose.Arm(RequestMethod.Post);
        await store.AddRefundAsync(refund);
        lose.Arm(RequestMethod.Post);
        var version = await store.AddAttemptAsync(attempt);

        Assert.Equal(2, lose.Dropped);
        Assert.Equal(RefundState.Requested, (await store.GetRefundAsync("pay_r", "rf_1"))!.Value.State);
        Assert.Equal(version, (await store.GetAttemptAsync(attempt.PaymentRef))!.Version);
    }

    [Fact]
    public async Task A_session_update_whose_response_was_lost_succeeds()
    {
        var lose = new LoseNextResponse();
        var store = StorageTestSupport.NewStore(azurite, lose);
        var session = await store.GetOrAddSessionAsync("s-" + Guid.NewGuid());
        session.Value.ConfirmingPaymentRef = "pay_1";
        session.Value.ConfirmingUntil = new DateTimeOffset(2026, 11, 30, 8, 0, 0, 123, TimeSpan.FromHours(2));

        lose.Arm(RequestMethod.Put);
        var version = await store.UpdateSessionAsync(session.Value, session.Version);

        Assert.Equal(1, lose.Dropped);
        var stored = await store.GetOrAddSessionAsync(session.Value.SessionId);
        Assert.Equal(stored.Version, version);
        Assert.Equal(session.Value.ConfirmingUntil, stored.Value.ConfirmingUntil);
    }

    [Fact]
    public async Task A_lost_response_does_not_hide_a_real_conflict()
    {
        var lose = new LoseNextResponse();
        var store = StorageTestSupport.NewStore(azurite, lose);
        var attempt = TablePaymentStoreTests.NewAttempt();
        await store.AddAttemptAsync(attempt);
        var first = (await store.GetAttemptAsync(attempt.PaymentRef))!;
        var second = (await store.GetAttemptAsync(attempt.PaymentRef))!;
        first.Value.ProviderStatus = "first";
        await store.UpdateAttemptAsync(first.Value, first.Version);

        second.Value.ProviderStatus = "second";
        lose.Arm(RequestMethod.Put);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.UpdateAttemptAsync(second.Value, second.Version));

        Assert.Equal("first", (await store.GetAttemptAsync(attempt.PaymentRef))!.Value.ProviderStatus);
    }
}
