using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableKeyTests(AzuriteFixture azurite)
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
        "",
    };

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task Awkward_keys_round_trip_through_get_update_query_and_delete(string key)
    {
        var table = await TableTestSupport.NewTableAsync(azurite);
        await table.AddEntityAsync(new TableEntity(key, key) { ["V"] = 1 });
        await table.AddEntityAsync(new TableEntity("other", "other") { ["V"] = 0 });

        var read = await table.GetEntityIfExistsAsync(key, key);
        Assert.NotNull(read);
        Assert.Equal(key, read.PartitionKey);
        Assert.Equal(key, read.RowKey);

        await table.UpdateEntityAsync(new TableEntity(key, key) { ["V"] = 2 }, read.ETag);

        var found = Assert.Single(await table.QueryAsync(TableFilter.And(
            TableFilter.Equal(TableEntity.PartitionKeyName, key),
            TableFilter.Equal(TableEntity.RowKeyName, key))).ToListAsync());
        Assert.Equal(key, found.RowKey);
        Assert.Equal(2, found["V"]);

        await table.DeleteEntityAsync(key, key, found.ETag);
        Assert.Null(await table.GetEntityIfExistsAsync(key, key));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("tab\there")]
    [InlineData("line\nbreak")]
    [InlineData("nul\0")]
    public async Task Forbidden_keys_are_refused_before_any_request(string key)
    {
        var counter = new RequestCounter();
        var table = await TableTestSupport.NewTableAsync(azurite, counter);
        counter.Reset();

        var asPartition = await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity(key, "ok")));
        Assert.Equal(TableEntity.PartitionKeyName, asPartition.ParamName);
        var asRow = await Assert.ThrowsAsync<ArgumentException>(() => table.GetEntityIfExistsAsync("ok", key));
        Assert.Equal(TableEntity.RowKeyName, asRow.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => table.UpsertEntityAsync(new TableEntity("ok", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteEntityAsync(key, "ok"));

        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task Keys_longer_than_1_KiB_are_refused_and_1_KiB_keys_accepted()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", new string('x', 513))));
        Assert.Contains("RowKey", ex.Message);

        var longest = new string('x', 512);
        await table.AddEntityAsync(new TableEntity("p", longest));
        Assert.NotNull(await table.GetEntityIfExistsAsync("p", longest));
    }
}
