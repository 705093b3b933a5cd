using SnipcartGateway.Domain;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Payments;

[Collection(AzuriteCollection.Name)]
public sealed class TablePaymentStorePagingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Listing_unsettled_attempts_follows_continuations_past_1000_rows()
    {
        const int Count = 1100;
        var recorder = new RequestRecorder();
        var store = StorageTestSupport.NewStore(azurite, recorder);
        var refs = Enumerable.Range(0, Count).Select(i => $"pay_{i:D5}").ToList();
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(refs.Select(async r =>
        {
            await gate.WaitAsync();
            try
            {
                await store.MarkUnsettledAsync(r);
            }
            finally
            {
                gate.Release();
            }
        }));

        recorder.Clear();
        var listed = await store.ListUnsettledAsync().ToListAsync();

        Assert.Equal(refs, listed.Select(e => e.PaymentRef).Order(StringComparer.Ordinal));
        Assert.All(listed, e => Assert.True(e.ListedAt > DateTimeOffset.UtcNow.AddHours(-1), "ListedAt is the row's timestamp"));
        var queries = recorder.Requests.Where(r => r.StartsWith("GET", StringComparison.Ordinal)).ToList();
        Assert.True(queries.Count >= 2, $"expected at least two pages, got {queries.Count}");
        Assert.Contains(queries.Skip(1), q => q.Contains("NextRowKey=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Listing_refunds_returns_only_that_payments_refunds()
    {
        var store = StorageTestSupport.NewStore(azurite);
        var mine = Enumerable.Range(0, 3).Select(i => Refund("pay_mine", $"rf_{i}")).ToList();
        foreach (var refund in mine.Append(Refund("pay_mine2", "rf_x")).Append(Refund("pay_min", "rf_y")))
        {
            await store.AddRefundAsync(refund);
        }

        var listed = await store.ListRefundsAsync("pay_mine");

        Assert.Equal(["rf_0", "rf_1", "rf_2"], listed.Select(r => r.RefundId).Order(StringComparer.Ordinal));
    }

    private static RefundRecord Refund(string paymentRef, string refundId) =>
        new() { PaymentRef = paymentRef, RefundId = refundId, Amount = new Money(1.5m, "USD"), RequestedAt = DateTimeOffset.UtcNow };
}
