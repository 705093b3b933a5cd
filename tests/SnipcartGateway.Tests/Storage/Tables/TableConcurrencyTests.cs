using Azure;
using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Of_many_writers_holding_the_same_etag_exactly_one_wins_each_round()
    {
        const int Rounds = 10;
        const int Writers = 16;
        var table = await TableTestSupport.NewTableAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "counter") { ["Count"] = 0 });

        for (var round = 0; round < Rounds; round++)
        {
            var current = (await table.GetEntityIfExistsAsync("p", "counter"))!;
            var next = current.GetInt32("Count")!.Value + 1;
            using var start = new ManualResetEventSlim();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                start.Wait();
                try
                {
                    await table.UpdateEntityAsync(new TableEntity("p", "counter") { ["Count"] = next, ["Writer"] = w }, current.ETag);
                    return (Exception?)null;
                }
                catch (Exception ex)
                {
                    return ex;
                }
            })).ToArray();
            start.Set();
            var outcomes = await Task.WhenAll(writers);

            Assert.Single(outcomes, o => o is null);
            var failures = outcomes.Where(o => o is not null).ToList();
            Assert.Equal(Writers - 1, failures.Count);
            Assert.All(failures, f =>
            {
                var rfe = Assert.IsType<RequestFailedException>(f);
                Assert.Equal(412, rfe.Status);
                Assert.Equal(TableErrors.UpdateConditionNotSatisfied, rfe.ErrorCode);
            });
        }

        Assert.Equal(Rounds, (await table.GetEntityIfExistsAsync("p", "counter"))!.GetInt32("Count"));
    }
}
