using Azure.Core.Pipeline;

namespace SnipcartGateway.Tests.Storage;

/// <summary>
/// A real HttpClient transport that sends https requests as http to a loopback server. Azure.Core only sends
/// bearer tokens over https, and a loopback test server has no certificate, so the scheme is swapped on the wire.
/// </summary>
internal static class HttpsToLoopbackTransport
{
    public static HttpPipelineTransport To(Uri loopback) =>
        new HttpClientTransport(new HttpClient(new RewriteHandler(loopback) { InnerHandler = new SocketsHttpHandler() }));

    private sealed class RewriteHandler(Uri loopback) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var original = request.RequestUri!;
            request.RequestUri = new UriBuilder(original) { Scheme = loopback.Scheme, Host = loopback.Host, Port = loopback.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
