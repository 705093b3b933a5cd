using System.Net;

namespace SnipcartGateway.Snipcart;

/// <summary>Snipcart could not be reached, timed out, or answered with an error. Carries what it answered.</summary>
public sealed class SnipcartException : Exception
{
    public SnipcartException(string message, HttpStatusCode? statusCode = null, string? responseBody = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    /// <summary>Null when no answer came (network error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    public string? ResponseBody { get; }
}
