using Azure;
using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientCrudTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset When = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567);
    private static readonly Guid Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly byte[] Bytes = [0, 1, 2, 250, 255];

    private static TableEntity EveryType(string pk, string rk) => new(pk, rk)
    {
        ["Text"] = "héllo 'quoted' \"double\"",
        ["Flag"] = true,
        ["Small"] = 42,
        ["Big"] = 9_007_199_254_740_993L, // above 2^53: would lose precision as a JSON number
        ["Negative"] = -5L,
        ["Ratio"] = 0.1,
        ["WholeDouble"] = 2.0,
        ["When"] = When,
        ["Id"] = Id,
        ["Bytes"] = Bytes,
    };

    private static void AssertEveryType(TableEntity e)
    {
        Assert.Equal("héllo 'quoted' \"double\"", e["Text"]);
        Assert.Equal(true, e["Flag"]);
        Assert.Equal(42, e["Small"]);
        Assert.Equal(9_007_199_254_740_993L, e["Big"]);
        Assert.Equal(-5L, e["Negative"]);
        Assert.Equal(0.1, e["Ratio"]);
        Assert.Equal(2.0, e["WholeDouble"]);
        Assert.IsType<double>(e["WholeDouble"]);
        Assert.Equal(When, e["When"]);
        Assert.Equal(Id, e["Id"]);
        Assert.Equal(Bytes, e["Bytes"]);
        Assert.NotNull(e.Timestamp);
        Assert.NotEqual(default, e.ETag);
    }

    [Fact]
    public async Task Every_value_type_round_trips_through_get_and_query()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        var etag = await table.AddEntityAsync(EveryType("p", "r"));
        Assert.NotEqual(default, etag);

        var read = await table.GetEntityIfExistsAsync("p", "r");
        Assert.NotNull(read);
        AssertEveryType(read);
        Assert.Equal(etag, read.ETag);

        var queried = Assert.Single(await table.QueryAsync().ToListAsync());
        AssertEveryType(queried);
        Assert.Equal(etag, queried.ETag);
    }

    [Fact]
    public async Task Inserting_existing_keys_fails_with_409_EntityAlreadyExists()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r"));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, ex.Status);
        Assert.Equal(TableErrors.EntityAlreadyExists, ex.ErrorCode);
        Assert.True(TableErrors.IsConflict(ex));
    }

    [Theory]
    [InlineData("replace")]
    [InlineData("merge")]
    [InlineData("delete")]
    public async Task A_stale_etag_fails_with_412_UpdateConditionNotSatisfied(string operation)
    {
        var table = await TableTestSupport.NewTableAsync(azurite);
        var stale = await table.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });
        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, stale, TableUpdateMode.Replace);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => operation switch
        {
            "replace" => table.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 3 }, stale, TableUpdateMode.Replace),
            "merge" => table.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 3 }, stale, TableUpdateMode.Merge),
            _ => table.DeleteEntityAsync("p", "r", stale),
        });

        Assert.Equal(412, ex.Status);
        Assert.Equal(TableErrors.UpdateConditionNotSatisfied, ex.ErrorCode);
        Assert.True(TableErrors.IsPreconditionFailed(ex));
        Assert.Equal(2, (await table.GetEntityIfExistsAsync("p", "r"))!["N"]);
    }

    [Fact]
    public async Task Updates_with_the_current_etag_succeed_and_return_a_new_one()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);
        var first = await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        var second = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = "a2" }, first, TableUpdateMode.Merge);
        var merged = (await table.GetEntityIfExistsAsync("p", "r"))!;
        Assert.NotEqual(first, second);
        Assert.Equal(second, merged.ETag);
        Assert.Equal("a2", merged["A"]);
        Assert.Equal("b", merged["B"]); // merge keeps properties it was not given

        var third = await table.UpdateEntityAsync(new TableEntity("p", "r") { ["A"] = "a3" }, merged.ETag, TableUpdateMode.Replace);
        var replaced = (await table.GetEntityIfExistsAsync("p", "r"))!;
        Assert.Equal(third, replaced.ETag);
        Assert.Equal("a3", replaced["A"]);
        Assert.False(replaced.ContainsKey("B")); // replace drops them
    }

    [Fact]
    public async Task ETag_All_updates_and_deletes_unconditionally()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["N"] = 1 });

        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["N"] = 2 }, ETag.All, TableUpdateMode.Replace);
        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["M"] = 3 }, ETag.All, TableUpdateMode.Merge);
        var read = (await table.GetEntityIfExistsAsync("p", "r"))!;
        Assert.Equal(2, read["N"]);
        Assert.Equal(3, read["M"]);

        await table.DeleteEntityAsync("p", "r", ETag.All);
        Assert.Null(await table.GetEntityIfExistsAsync("p", "r"));
    }

    [Fact]
    public async Task Update_without_an_etag_is_refused_before_sending()
    {
        var counter = new RequestCounter();
        var table = await TableTestSupport.NewTableAsync(azurite, counter);
        counter.Reset();

        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), default));
        Assert.Equal(0, counter.Count);
    }

    [Fact]
    public async Task Updating_a_missing_entity_fails_with_404()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(
            () => table.UpdateEntityAsync(new TableEntity("p", "missing"), ETag.All, TableUpdateMode.Replace));

        Assert.True(TableErrors.IsNotFound(ex));
        Assert.Equal(TableErrors.ResourceNotFound, ex.ErrorCode);
    }

    [Fact]
    public async Task Upsert_inserts_then_replaces_or_merges()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        var inserted = await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1, ["B"] = 1 }, TableUpdateMode.Replace);
        var merged = await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 2 }, TableUpdateMode.Merge);
        var afterMerge = (await table.GetEntityIfExistsAsync("p", "r"))!;
        Assert.NotEqual(inserted, merged);
        Assert.Equal(2, afterMerge["A"]);
        Assert.Equal(1, afterMerge["B"]);

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 3 }, TableUpdateMode.Replace);
        var afterReplace = (await table.GetEntityIfExistsAsync("p", "r"))!;
        Assert.Equal(3, afterReplace["A"]);
        Assert.False(afterReplace.ContainsKey("B"));
    }

    [Fact]
    public async Task Getting_a_missing_entity_returns_null()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        Assert.Null(await table.GetEntityIfExistsAsync("p", "nothing"));
    }

    [Fact]
    public async Task Deleting_a_missing_entity_is_not_an_error()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        await table.DeleteEntityAsync("p", "nothing");
        await table.DeleteEntityAsync("p", "nothing", ETag.All);
    }

    [Fact]
    public async Task A_missing_table_is_an_error_not_a_missing_entity()
    {
        var service = new TableServiceClient(azurite.ConnectionString, TableTestSupport.FastOptions());
        var table = service.GetTableClient(AzuriteFixture.UniqueTableName());

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityIfExistsAsync("p", "r"));

        Assert.Equal(404, ex.Status);
        Assert.Equal(TableErrors.TableNotFound, ex.ErrorCode);
    }

    [Fact]
    public async Task CreateIfNotExists_is_idempotent()
    {
        var service = new TableServiceClient(azurite.ConnectionString, TableTestSupport.FastOptions());
        var table = service.GetTableClient(AzuriteFixture.UniqueTableName());

        await table.CreateIfNotExistsAsync();
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"));
    }

    [Fact]
    public async Task Values_of_unsupported_types_are_refused()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => table.AddEntityAsync(new TableEntity("p", "r") { ["Price"] = 1.5m }));
        Assert.Contains("Price", ex.Message);
    }
}
