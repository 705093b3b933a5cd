using Microsoft.Extensions.Options;

namespace SnipcartGateway.Snipcart;

/// <summary>
/// Start-up checks. Messages name the environment variable to fix, since that is how the app is configured
/// in Azure. A missing secret key is allowed here (a store may run in test mode only); confirming a payment
/// in that mode then fails with a clear message.
/// </summary>
internal sealed class SnipcartOptionsValidator : IValidateOptions<SnipcartOptions>
{
    // TimeSpan parses "15" as fifteen days: cap the timeout so that mistake is caught at start-up.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(2);
    // The resilience pipeline's attempt timeout accepts nothing shorter.
    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);

    public ValidateOptionsResult Validate(string? name, SnipcartOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Snipcart__ApiBaseUrl must be an absolute http(s) URL (default {SnipcartOptions.DefaultApiBaseUrl}); got '{options.ApiBaseUrl}'.");
        }
        if (options.Timeout < MinTimeout || options.Timeout > MaxTimeout)
        {
            failures.Add($"Snipcart__Timeout must be between {MinTimeout:c} and {MaxTimeout:c} (hh:mm:ss); got {options.Timeout:c}.");
        }
        if (options.ReadTimeout < MinTimeout || options.ReadTimeout > MaxTimeout)
        {
            failures.Add($"Snipcart__ReadTimeout must be between {MinTimeout:c} and {MaxTimeout:c} (hh:mm:ss); got {options.ReadTimeout:c}.");
        }
        if (options.RetryCount is < 0 or > 5)
        {
            failures.Add($"Snipcart__RetryCount must be between 0 and 5; got {options.RetryCount}.");
        }
        if (options.RetryDelay < TimeSpan.Zero || options.RetryDelay > TimeSpan.FromSeconds(10))
        {
            failures.Add($"Snipcart__RetryDelay must be between 0 and 00:00:10; got {options.RetryDelay:c}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
