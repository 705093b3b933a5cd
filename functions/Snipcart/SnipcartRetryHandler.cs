using Microsoft.Extensions.Options;

namespace SnipcartGateway.Snipcart;

/// <summary>
/// Bounds every attempt with <see cref="SnipcartOptions.Timeout"/>, and retries only what is safe to repeat:
/// GET and HEAD, after a 5xx, a network error or a timed-out attempt, with a doubling backoff. Creating a
/// payment is a POST and is never repeated here: Snipcart documents no idempotency for it.
/// (Microsoft.Extensions.Http.Resilience and Polly are not available to this project.)
/// </summary>
internal sealed class SnipcartRetryHandler(IOptionsMonitor<SnipcartOptions> options, ILogger<SnipcartRetryHandler> logger)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var retries = IsSafeToRepeat(request.Method) ? settings.RetryCount : 0;
        // The query holds the public token: log the path only.
        var what = $"{request.Method} {request.RequestUri?.AbsolutePath}";

        for (var attempt = 0; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(settings.Timeout);
            try
            {
                var response = await base.SendAsync(request, attemptTimeout.Token);
                if ((int)response.StatusCode < 500 || attempt >= retries)
                {
                    return response;
                }
                logger.LogWarning("Snipcart answered {Status} to {Request}; retrying (attempt {Attempt} of {Attempts})",
                    (int)response.StatusCode, what, attempt + 2, retries + 1);
                response.Dispose();
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= retries)
                {
                    throw new TimeoutException($"Snipcart did not answer {what} within {settings.Timeout.TotalSeconds:0.###} s.", ex);
                }
                logger.LogWarning("Snipcart timed out on {Request}; retrying (attempt {Attempt} of {Attempts})", what, attempt + 2, retries + 1);
            }
            catch (HttpRequestException ex) when (attempt < retries)
            {
                logger.LogWarning("Snipcart unreachable for {Request} ({Error}); retrying (attempt {Attempt} of {Attempts})",
                    what, ex.Message, attempt + 2, retries + 1);
            }

            await Task.Delay(settings.RetryDelay * Math.Pow(2, attempt), cancellationToken);
        }
    }

    private static bool IsSafeToRepeat(HttpMethod method) => method == HttpMethod.Get || method == HttpMethod.Head;
}
