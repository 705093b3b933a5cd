using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Moq;
using SnipcartGateway.Storage.Payments;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage;

/// <summary>SDK clients for the Azurite fixture, with short retries and optional test policies.</summary>
internal static class StorageTestSupport
{
    public static TableClientOptions FastOptions(params HttpPipelinePolicy[] perRetryPolicies)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        foreach (var policy in perRetryPolicies)
        {
            // Per retry: the policy sees every try on the wire, as a lost response or a counter needs.
            options.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
        return options;
    }

    /// <summary>A store on fresh tables (a unique prefix) in the shared Azurite.</summary>
    public static TablePaymentStore NewStore(AzuriteFixture azurite, params HttpPipelinePolicy[] policies) =>
        new(new PaymentTables(new TableServiceClient(azurite.ConnectionString, FastOptions(policies)), "p" + Guid.NewGuid().ToString("N")[..8]));

    public static Mock<TokenCredential> Credential(string token)
    {
        var credential = new Mock<TokenCredential>();
        var accessToken = new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(accessToken);
        credential.Setup(c => c.GetToken(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>())).Returns(accessToken);
        return credential;
    }

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }
        return list;
    }
}

/// <summary>Records every request put on the wire (method and path with query).</summary>
internal sealed class RequestRecorder : HttpPipelineSynchronousPolicy
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _requests = new();

    public IReadOnlyCollection<string> Requests => _requests;

    public void Clear() => _requests.Clear();

    public override void OnSendingRequest(HttpMessage message) =>
        _requests.Enqueue(message.Request.Method + " " + Uri.UnescapeDataString(message.Request.Uri.ToUri().PathAndQuery));
}

/// <summary>
/// Lets the next request of a given method reach the service, then throws the response away as a dropped
/// connection would. Azure.Core's retry policy then sends the same request again: for a conditional write
/// that already succeeded, the retry gets 412 (or 409 for an insert) although our write is the one stored.
/// </summary>
internal sealed class LoseNextResponse : HttpPipelinePolicy
{
    private RequestMethod? _armed;

    public int Dropped { get; private set; }

    public void Arm(RequestMethod method) => _armed = method;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        if (_armed is { } method && message.Request.Method == method)
        {
            _armed = null;
            Dropped++;
            throw new IOException("Simulated: the connection dropped after the service handled the request.");
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();
}
