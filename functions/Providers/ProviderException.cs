using System.Net;

namespace SnipcartGateway.Providers;

/// <summary>A provider failed or refused. Subclasses carry the provider's own parsed error.</summary>
public class ProviderException : Exception
{
    public ProviderException(string providerId, string message, HttpStatusCode? statusCode = null, string? errorCode = null, Exception? inner = null)
        : base(message, inner)
    {
        ProviderId = providerId;
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    public string ProviderId { get; }

    /// <summary>Null when no answer came (network error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The provider's error code, e.g. Smartpay's "payment.excessive-amount".</summary>
    public string? ErrorCode { get; }

    /// <summary>What the provider said about a refusal, fit for the shopper's eyes (its own words: no ids, URLs or
    /// secrets); shown on the checkout page when a payment cannot be started. Null when it said nothing useful.</summary>
    public string? ShopperMessage { get; init; }

    /// <summary>The provider answered 4xx: the request itself was refused, retrying will not help.</summary>
    public bool IsRejection => StatusCode is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError;
}

/// <summary>A notification that failed authentication or could not be read.</summary>
public sealed class ProviderNotificationRejectedException(string providerId, string message)
    : ProviderException(providerId, message);

/// <summary>The shopper's return parameters do not describe this payment (another token, another reference): a
/// forged or stale return. The gateway changes nothing and keeps asking with what it knew before.</summary>
public sealed class ProviderReturnRejectedException(string providerId, string message)
    : ProviderException(providerId, message);
