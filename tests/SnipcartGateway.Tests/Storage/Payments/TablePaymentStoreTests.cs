using SnipcartGateway.Domain;
using SnipcartGateway.Storage;
using SnipcartGateway.Storage.Payments;
using SnipcartGateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace SnipcartGateway.Tests.Storage.Payments;

[Collection(AzuriteCollection.Name)]
public sealed class TablePaymentStoreTests(AzuriteFixture azurite)
{
    private readonly TablePaymentStore _store = new(new PaymentTables(
        TableStorageFactory.Create(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = azurite.ConnectionString }).Build()),
        "p" + Guid.NewGuid().ToString("N")[..8]));

    internal static PaymentAttempt NewAttempt(string? invoiceJson = null, string? paymentRef = null) => new()
    {
        PaymentRef = paymentRef ?? PaymentReferences.NewPaymentRef(),
        SessionId = "b2eb036a-842ee242-0d2d-4fad-bc9a-de16411fc6d1",
        ProviderId = "sandboxpay",
        Mode = PaymentMode.Live,
        Amount = new Money(409.29m, "usd"),
        InvoiceJson = invoiceJson ?? """{"currency":"usd","amount":409.29}""",
        RefundKey = "k",
        BackUrl = "https://example.com#/checkout",
        CreatedAt = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero),
    };

    [Fact]
    public async Task An_attempt_round_trips_with_every_field_and_a_large_invoice()
    {
        var invoice = "{\"items\":[" + string.Join(",", Enumerable.Range(0, 4000).Select(i => $"{{\"name\":\"Item {i} – 日本\"}}")) + "]}";
        Assert.True(invoice.Length > 64_000);
        var attempt = NewAttempt(invoice);
        await _store.AddAttemptAsync(attempt);

        var read = await _store.GetAttemptAsync(attempt.PaymentRef);
        Assert.NotNull(read);
        var a = read.Value;
        a.ProviderPaymentId = "sp_1";
        a.RecordProviderView(PaymentStatus.Paid, "succeeded", "tx_1", null, null, attempt.CreatedAt.AddMinutes(1));
        a.Claim(SnipcartPaymentState.Processed, "claim1", attempt.CreatedAt.AddMinutes(1), TimeSpan.FromMinutes(2));
        a.RefundedAmount = 0.1m;
        a.LastRefundAmount = 0.1m;
        await _store.UpdateAttemptAsync(a, read.Version);

        var again = (await _store.GetAttemptAsync(attempt.PaymentRef))!.Value;
        Assert.Equal(invoice, again.InvoiceJson);
        Assert.Equal(new Money(409.29m, "USD"), again.Amount);
        Assert.Equal(PaymentMode.Live, again.Mode);
        Assert.Equal(PaymentStatus.Paid, again.Status);
        Assert.Equal("tx_1", again.TransactionId);
        Assert.Equal(SnipcartPaymentState.Processed, again.ClaimedState);
        Assert.Equal(attempt.CreatedAt.AddMinutes(3), again.ClaimExpiresAt);
        Assert.Equal(0.1m, again.RefundedAmount);
        Assert.Equal(attempt.SessionId, again.SessionId);
        Assert.Equal(attempt.BackUrl, again.BackUrl);
    }

    [Fact]
    public async Task A_stale_version_loses_and_the_attempt_is_unchanged()
    {
        var attempt = NewAttempt();
        await _store.AddAttemptAsync(attempt);
        var first = (await _store.GetAttemptAsync(attempt.PaymentRef))!;
        var second = (await _store.GetAttemptAsync(attempt.PaymentRef))!;

        first.Value.ProviderStatus = "winner";
        await _store.UpdateAttemptAsync(first.Value, first.Version);
        second.Value.ProviderStatus = "loser";
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.UpdateAttemptAsync(second.Value, second.Version));

        Assert.Equal("winner", (await _store.GetAttemptAsync(attempt.PaymentRef))!.Value.ProviderStatus);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.AddAttemptAsync(attempt));
    }

    [Fact]
    public async Task Unsettled_attempts_are_listed_until_they_settle()
    {
        var attempt = NewAttempt();
        await _store.AddAttemptAsync(attempt);
        Assert.Contains(attempt.PaymentRef, await UnsettledRefs());

        var read = (await _store.GetAttemptAsync(attempt.PaymentRef))!;
        read.Value.Claim(SnipcartPaymentState.Processed, "c", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        read.Value.ConfirmClaim("https://example.com/return", DateTimeOffset.UtcNow);
        await _store.UpdateAttemptAsync(read.Value, read.Version);

        Assert.DoesNotContain(attempt.PaymentRef, await UnsettledRefs());
    }

    [Fact]
    public async Task Only_one_writer_can_mark_a_session_paid()
    {
        var sessionId = "weird/id#with?chars " + Guid.NewGuid();
        var reads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _store.GetOrAddSessionAsync(sessionId)));
        var wins = 0;
        await Task.WhenAll(reads.Select(async (read, i) =>
        {
            read.Value.ProcessedPaymentRef = $"pay_{i}";
            try
            {
                await _store.UpdateSessionAsync(read.Value, read.Version);
                Interlocked.Increment(ref wins);
            }
            catch (ConcurrencyConflictException)
            {
            }
        }));
        Assert.Equal(1, wins);
        Assert.NotNull((await _store.GetOrAddSessionAsync(sessionId)).Value.ProcessedPaymentRef);
    }

    [Fact]
    public async Task Refunds_are_recorded_and_listed_per_payment()
    {
        var refund = new RefundRecord { PaymentRef = "pay_x" + Guid.NewGuid().ToString("N")[..10], RefundId = PaymentReferences.NewRefundId(), Amount = new Money(20.75m, "USD"), RequestedAt = DateTimeOffset.UtcNow };
        await _store.AddRefundAsync(refund);
        var read = (await _store.GetRefundAsync(refund.PaymentRef, refund.RefundId))!;
        read.Value.State = RefundState.Succeeded;
        read.Value.ProviderRefundId = "re_1";
        await _store.UpdateRefundAsync(read.Value, read.Version);

        var listed = Assert.Single(await _store.ListRefundsAsync(refund.PaymentRef));
        Assert.Equal(RefundState.Succeeded, listed.State);
        Assert.Equal(20.75m, listed.Amount.Amount);
        Assert.Equal("re_1", listed.ProviderRefundId);
    }

    [Fact]
    public async Task Forgetting_an_unsettled_row_that_is_already_gone_is_not_an_error()
    {
        var attempt = NewAttempt();
        await _store.MarkUnsettledAsync(attempt.PaymentRef);

        await _store.ForgetUnsettledAsync(attempt.PaymentRef);
        await _store.ForgetUnsettledAsync(attempt.PaymentRef);

        Assert.DoesNotContain(attempt.PaymentRef, await UnsettledRefs());
    }

    [Fact]
    public async Task A_replaced_snapshot_drops_properties_that_became_null()
    {
        var attempt = NewAttempt();
        await _store.AddAttemptAsync(attempt);
        var read = (await _store.GetAttemptAsync(attempt.PaymentRef))!;
        read.Value.Claim(SnipcartPaymentState.Processed, "claim1", attempt.CreatedAt, TimeSpan.FromMinutes(1));
        var claimed = await _store.UpdateAttemptAsync(read.Value, read.Version);

        var again = (await _store.GetAttemptAsync(attempt.PaymentRef))!;
        Assert.Equal(claimed, again.Version);
        again.Value.ClaimedState = null;
        again.Value.ClaimId = null;
        again.Value.ClaimExpiresAt = null;
        await _store.UpdateAttemptAsync(again.Value, again.Version);

        var last = (await _store.GetAttemptAsync(attempt.PaymentRef))!.Value;
        Assert.Null(last.ClaimId);
        Assert.Null(last.ClaimedState);
        Assert.Null(last.ClaimExpiresAt);
    }

    private async Task<List<string>> UnsettledRefs()
    {
        var list = new List<string>();
        await foreach (var e in _store.ListUnsettledAsync())
        {
            list.Add(e.PaymentRef);
        }
        return list;
    }
}
