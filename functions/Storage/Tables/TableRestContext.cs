using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// What every request to one table service shares: the pipeline, the endpoint and the protocol headers.
/// </summary>
internal sealed class TableRestContext
{
    public static readonly TableRequestFailedDetailsParser ErrorParser = new();
    public static readonly StatusCodeClassifier Classifier200 = new([200]);
    public static readonly StatusCodeClassifier Classifier200404 = new([200, 404]);
    public static readonly StatusCodeClassifier Classifier201204 = new([201, 204]);
    public static readonly StatusCodeClassifier Classifier201204409 = new([201, 204, 409]);
    public static readonly StatusCodeClassifier Classifier204 = new([204]);
    public static readonly StatusCodeClassifier Classifier204404 = new([204, 404]);

    private readonly string _endpoint;
    private readonly string _version;

    public TableRestContext(HttpPipeline pipeline, Uri endpoint, string version)
    {
        Pipeline = pipeline;
        _endpoint = endpoint.AbsoluteUri.TrimEnd('/');
        _version = version;
    }

    public HttpPipeline Pipeline { get; }

    /// <param name="path">Already escaped path below the endpoint, e.g. <c>Tables</c> or <c>orders(PartitionKey='a',RowKey='b')</c>.</param>
    public HttpMessage CreateMessage(RequestMethod method, string path, ResponseClassifier classifier)
    {
        var message = Pipeline.CreateMessage();
        message.ResponseClassifier = classifier;
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri(_endpoint + "/" + path));
        request.Headers.Add("x-ms-version", _version);
        request.Headers.Add("DataServiceVersion", "3.0");
        // minimalmetadata, not nometadata: query results then carry odata.etag and the type annotations we read.
        request.Headers.Add(HttpHeader.Names.Accept, "application/json;odata=minimalmetadata");
        return message;
    }

    public static void SetJsonBody(Request request, byte[] json)
    {
        request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
        request.Content = RequestContent.Create(json);
    }

    /// <summary>The exception for a response we did not expect, with the service's error code.</summary>
    public RequestFailedException Failure(Response response) => new(response, null, ErrorParser);

    public static string? ErrorCode(Response response) =>
        ErrorParser.TryParse(response, out var error, out _) ? error?.Code : null;
}
