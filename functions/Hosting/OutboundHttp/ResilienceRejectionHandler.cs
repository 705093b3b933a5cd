using Polly;
using Polly.Timeout;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// Sits outside the resilience pipeline and turns Polly's rejections back into what HttpClient throws on its
/// own, so clients written against plain HttpClient keep their error handling: a timed-out call (attempt or
/// total) becomes <see cref="TaskCanceledException"/> with a <see cref="TimeoutException"/> inside, as
/// <c>HttpClient.Timeout</c> does; an open circuit or a full rate limiter becomes
/// <see cref="HttpRequestException"/>, as an unreachable server does. Messages name the path only, never the
/// query (Snipcart's carries the public token).
/// </summary>
internal sealed class ResilienceRejectionHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (TimeoutRejectedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var message = $"{request.Method} {request.RequestUri?.AbsolutePath} got no answer within {ex.Timeout.TotalSeconds:0.###} s.";
            throw new TaskCanceledException(message, new TimeoutException(message, ex));
        }
        catch (ExecutionRejectedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException(
                $"{request.Method} {request.RequestUri?.AbsolutePath} was not sent: {ex.GetType().Name} (recent calls failed or too many are in flight).", ex);
        }
    }
}
