using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableQueryTests(AzuriteFixture azurite)
{
    private const int EntityCount = 1100;

    /// <summary>Inserts 1,100 entities, 16 at a time, in two partitions.</summary>
    private static async Task FillAsync(ITableClient table)
    {
        using var gate = new SemaphoreSlim(16);
        var inserts = Enumerable.Range(0, EntityCount).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await table.AddEntityAsync(new TableEntity(i % 2 == 0 ? "even" : "odd", $"r{i:D4}")
                {
                    ["Number"] = i,
                    ["Big"] = (long)i * 1_000_000_000L,
                    ["Label"] = $"item {i}",
                });
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(inserts);
    }

    [Fact]
    public async Task Queries_follow_continuations_across_pages_filters_and_page_sizes()
    {
        var counter = new RequestCounter();
        var table = await TableTestSupport.NewTableAsync(azurite, counter);
        await FillAsync(table);

        // Everything: more than one 1,000-entity page, each entity exactly once.
        counter.Reset();
        var all = await table.QueryAsync().ToListAsync();
        Assert.True(counter.Count >= 2, $"expected at least 2 pages, got {counter.Count}");
        Assert.Equal(EntityCount, all.Count);
        Assert.Equal(EntityCount, all.Select(e => (e.PartitionKey, e.RowKey)).Distinct().Count());
        Assert.All(all, e => Assert.Equal(e.GetInt32("Number") * 1_000_000_000L, e["Big"]));
        Assert.Contains(counter.Urls.Skip(1), url => url.Contains("NextPartitionKey=", StringComparison.Ordinal));

        // A filter that still needs paging: 550 entities over pages of 200.
        counter.Reset();
        var evens = await table.QueryAsync(TableFilter.Equal(TableEntity.PartitionKeyName, "even"), maxPerPage: 200).ToListAsync();
        Assert.Equal(EntityCount / 2, evens.Count);
        Assert.All(evens, e => Assert.Equal(0, e.GetInt32("Number")!.Value % 2));
        Assert.True(counter.Count >= 3, $"expected at least 3 pages of 200, got {counter.Count}");

        // A typed range filter on a property.
        var range = await table.QueryAsync(TableFilter.And(
            TableFilter.GreaterThanOrEqual("Big", 100 * 1_000_000_000L),
            TableFilter.LessThan("Number", 110))).ToListAsync();
        Assert.Equal(Enumerable.Range(100, 10), range.Select(e => e.GetInt32("Number")!.Value).Order());

        // $top is per page: 1,100 entities in pages of at most 300.
        counter.Reset();
        var paged = await table.QueryAsync(maxPerPage: 300).ToListAsync();
        Assert.Equal(EntityCount, paged.Count);
        Assert.True(counter.Count >= 4, $"expected at least 4 pages of 300, got {counter.Count}");
        Assert.All(counter.Urls, url => Assert.Contains("$top=300", url));
    }

    [Fact]
    public async Task Select_returns_only_the_named_properties()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b", ["C"] = 3L });

        var row = Assert.Single(await table.QueryAsync(select: ["A", "C"]).ToListAsync());

        Assert.Equal("a", row["A"]);
        Assert.Equal(3L, row["C"]);
        Assert.False(row.ContainsKey("B"));
    }

    [Fact]
    public async Task Filters_on_every_literal_type_match()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);
        var when = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await table.AddEntityAsync(new TableEntity("p", "match")
        {
            ["S"] = "o'brien", ["B"] = true, ["I"] = 7, ["L"] = 1L << 40, ["D"] = 2.5, ["T"] = when, ["G"] = id,
        });
        await table.AddEntityAsync(new TableEntity("p", "other")
        {
            ["S"] = "x", ["B"] = false, ["I"] = 8, ["L"] = 1L, ["D"] = 3.5, ["T"] = when.AddDays(1), ["G"] = Guid.NewGuid(),
        });

        string[] filters =
        [
            TableFilter.Equal("S", "o'brien"),
            TableFilter.Equal("B", true),
            TableFilter.Equal("I", 7),
            TableFilter.Equal("L", 1L << 40),
            TableFilter.LessThan("D", 3.0),
            TableFilter.Equal("T", when),
            TableFilter.Equal("G", id),
            TableFilter.Not(TableFilter.Equal("S", "x")),
            TableFilter.Or(TableFilter.Equal("I", 7), TableFilter.Equal("I", 100)),
        ];
        foreach (var filter in filters)
        {
            var match = Assert.Single(await table.QueryAsync(filter).ToListAsync());
            Assert.Equal("match", match.RowKey);
        }
    }

    [Fact]
    public async Task Querying_an_empty_table_returns_nothing()
    {
        var table = await TableTestSupport.NewTableAsync(azurite);

        Assert.Empty(await table.QueryAsync().ToListAsync());
    }
}
