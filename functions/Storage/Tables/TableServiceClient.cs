using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// A storage account's table service over Azure.Core's <see cref="HttpPipeline"/> (retries, logging, transport),
/// authenticated by Shared Key Lite or by a Microsoft Entra token. Thread-safe; register one per account.
/// </summary>
public sealed class TableServiceClient : ITableServiceClient
{
    /// <summary>The Entra ID scope for Azure Storage data-plane calls.</summary>
    public const string StorageScope = "https://storage.azure.com/.default";

    private readonly TableRestContext _context;

    public TableServiceClient(string connectionString, TableClientOptions? options = null)
        : this(TableConnectionString.Parse(connectionString), options)
    {
    }

    public TableServiceClient(TableConnectionString connectionString, TableClientOptions? options = null)
        : this(connectionString.TableEndpoint, new TableSharedKeyCredential(connectionString.AccountName, connectionString.AccountKey), options)
    {
    }

    public TableServiceClient(Uri endpoint, TableSharedKeyCredential credential, TableClientOptions? options = null)
        : this(endpoint, new TableSharedKeyLitePolicy(credential), options)
    {
    }

    /// <remarks>Azure.Core refuses to send bearer tokens over plain http, so <paramref name="endpoint"/> must be https.</remarks>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableClientOptions? options = null)
        : this(endpoint, new BearerTokenAuthenticationPolicy(credential ?? throw new ArgumentNullException(nameof(credential)), StorageScope), options)
    {
    }

    private TableServiceClient(Uri endpoint, HttpPipelinePolicy authPolicy, TableClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The table endpoint must be an absolute http(s) URI: {endpoint}", nameof(endpoint));
        }
        options ??= new TableClientOptions();
        var pipeline = HttpPipelineBuilder.Build(new HttpPipelineOptions(options)
        {
            // Per retry: each attempt needs its own x-ms-date and signature (or a still-valid token).
            PerRetryPolicies = { authPolicy },
            ResponseClassifier = new ResponseClassifier(),
            RequestFailedDetailsParser = TableRestContext.ErrorParser,
        });
        Endpoint = endpoint;
        _context = new TableRestContext(pipeline, endpoint, options.VersionString);
    }

    public Uri Endpoint { get; }

    public ITableClient GetTableClient(string tableName) => new TableClient(_context, tableName);

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        using var message = _context.CreateMessage(RequestMethod.Get, "Tables", TableRestContext.Classifier200);
        message.Request.Uri.AppendQuery("$top", "1");
        await _context.Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.Status != 200)
        {
            throw _context.Failure(message.Response);
        }
    }
}
