using SnipcartGateway.Domain;
using SnipcartGateway.Storage.Payments;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Payments;

/// <summary>Keys with characters that need quoting in OData filters or escaping in URLs, through the store.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TablePaymentStoreKeyTests(AzuriteFixture azurite)
{
    public static TheoryData<string> AwkwardKeys => new()
    {
        "it's",
        "''",
        "with space",
        "100%",
        "%27",
        "a+b",
        "é",
        "日本",
        "a&b=c",
        "(x,y)",
        "emoji 🎉",
    };

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task Session_ids_round_trip_through_the_key_encoding(string key)
    {
        var store = StorageTestSupport.NewStore(azurite);
        var sessionId = key + " / # ? \t" + key;

        var created = await store.GetOrAddSessionAsync(sessionId);
        created.Value.ProcessedPaymentRef = "pay_1";
        await store.UpdateSessionAsync(created.Value, created.Version);
        var other = await store.GetOrAddSessionAsync(key);

        var read = await store.GetOrAddSessionAsync(sessionId);
        Assert.Equal(sessionId, read.Value.SessionId);
        Assert.Equal("pay_1", read.Value.ProcessedPaymentRef);
        Assert.Null(other.Value.ProcessedPaymentRef);
        Assert.StartsWith("b64_", StorageKeys.ForExternalId(sessionId));
    }

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task Refunds_and_attempts_with_awkward_keys_are_read_updated_and_listed(string key)
    {
        var store = StorageTestSupport.NewStore(azurite);
        var refund = new RefundRecord { PaymentRef = key, RefundId = key, Amount = new Money(2m, "USD"), RequestedAt = DateTimeOffset.UtcNow };
        await store.AddRefundAsync(refund);
        await store.AddRefundAsync(new RefundRecord { PaymentRef = key + "x", RefundId = key, Amount = new Money(3m, "USD"), RequestedAt = DateTimeOffset.UtcNow });

        var read = (await store.GetRefundAsync(key, key))!;
        read.Value.State = RefundState.Succeeded;
        await store.UpdateRefundAsync(read.Value, read.Version);
        var listed = Assert.Single(await store.ListRefundsAsync(key));
        Assert.Equal(key, listed.RefundId);
        Assert.Equal(RefundState.Succeeded, listed.State);

        var attempt = TablePaymentStoreTests.NewAttempt(paymentRef: key);
        await store.AddAttemptAsync(attempt);
        var got = (await store.GetAttemptAsync(key))!;
        Assert.Equal(key, got.Value.PaymentRef);
        Assert.Contains(key, (await store.ListUnsettledAsync().ToListAsync()).Select(e => e.PaymentRef));
    }
}
