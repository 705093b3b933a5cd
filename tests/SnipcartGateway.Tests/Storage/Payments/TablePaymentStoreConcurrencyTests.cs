using SnipcartGateway.Domain;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Payments;

[Collection(AzuriteCollection.Name)]
public sealed class TablePaymentStoreConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Of_many_writers_holding_the_same_version_exactly_one_wins_each_round()
    {
        const int Rounds = 10;
        const int Writers = 16;
        var store = StorageTestSupport.NewStore(azurite);
        var attempt = TablePaymentStoreTests.NewAttempt();
        await store.AddAttemptAsync(attempt);

        for (var round = 0; round < Rounds; round++)
        {
            var current = (await store.GetAttemptAsync(attempt.PaymentRef))!;
            var count = current.Value.ConfirmationFailures;
            // Each writer reads its own copy at the same version and writes a different snapshot.
            var copies = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => store.GetAttemptAsync(attempt.PaymentRef)));
            Assert.All(copies, c => Assert.Equal(current.Version, c!.Version));
            using var start = new ManualResetEventSlim();
            var writers = copies.Select((copy, w) => Task.Run(async () =>
            {
                copy!.Value.ConfirmationFailures = count + 1;
                copy.Value.ProviderStatus = $"round {round} writer {w}";
                start.Wait();
                try
                {
                    await store.UpdateAttemptAsync(copy.Value, copy.Version);
                    return (Winner: (int?)w, Error: (Exception?)null);
                }
                catch (Exception ex)
                {
                    return (Winner: null, Error: ex);
                }
            })).ToArray();
            start.Set();
            var outcomes = await Task.WhenAll(writers);

            var winner = Assert.Single(outcomes, o => o.Error is null).Winner;
            var failures = outcomes.Where(o => o.Error is not null).Select(o => o.Error!).ToList();
            Assert.Equal(Writers - 1, failures.Count);
            Assert.All(failures, f =>
            {
                var conflict = Assert.IsType<ConcurrencyConflictException>(f);
                var refused = Assert.IsType<Azure.RequestFailedException>(conflict.InnerException);
                Assert.Equal(412, refused.Status);
                Assert.Equal("UpdateConditionNotSatisfied", refused.ErrorCode);
            });
            Assert.Equal($"round {round} writer {winner}", (await store.GetAttemptAsync(attempt.PaymentRef))!.Value.ProviderStatus);
        }

        Assert.Equal(Rounds, (await store.GetAttemptAsync(attempt.PaymentRef))!.Value.ConfirmationFailures);
    }
}
