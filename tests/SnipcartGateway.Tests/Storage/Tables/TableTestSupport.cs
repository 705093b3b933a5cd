using Azure.Core;
using Azure.Core.Pipeline;
using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

/// <summary>Clients for the Azurite fixture, with short retries and a request counter.</summary>
internal static class TableTestSupport
{
    public static TableClientOptions FastOptions(RequestCounter? counter = null)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        if (counter is not null)
        {
            options.AddPolicy(counter, HttpPipelinePosition.PerCall);
        }
        return options;
    }

    public static async Task<ITableClient> NewTableAsync(AzuriteFixture azurite, RequestCounter? counter = null)
    {
        var service = new TableServiceClient(azurite.ConnectionString, FastOptions(counter));
        var table = service.GetTableClient(AzuriteFixture.UniqueTableName());
        await table.CreateIfNotExistsAsync();
        return table;
    }

    public static async Task<List<TableEntity>> ToListAsync(this IAsyncEnumerable<TableEntity> source)
    {
        var list = new List<TableEntity>();
        await foreach (var item in source)
        {
            list.Add(item);
        }
        return list;
    }
}

/// <summary>Counts the requests a client sends (once per call, not per retry), and remembers their URLs.</summary>
internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
{
    private int _count;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _urls = new();

    public int Count => Volatile.Read(ref _count);
    public IReadOnlyCollection<string> Urls => _urls;

    public void Reset()
    {
        Interlocked.Exchange(ref _count, 0);
        _urls.Clear();
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        Interlocked.Increment(ref _count);
        _urls.Enqueue(message.Request.Method + " " + message.Request.Uri.ToUri().PathAndQuery);
    }
}
