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

    /// <summary>What the checkout page may tell the shopper (in the provider's words, never a secret or an internal
    /// detail); null for the gateway's generic "could not start the payment".</summary>
    public string? ShopperMessage { get; init; }

    /// <summary>The provider answered 4xx: the request itself was refused, retrying will not help.</summary>
    public bool IsRejection => StatusCode is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError;
}

/// <summary>The order cannot be paid with this provider as it is (say, a yen amount with a fraction, or lines that do
/// not add up to the total): refused before anything was sent. The gateway answers the page 422 with the message,
/// which must be worded for the shopper.</summary>
public sealed class ProviderOrderRefusedException(string providerId, string message)
    : ProviderException(providerId, message);

/// <summary>A notification that failed authentication or could not be read.</summary>
public sealed class ProviderNotificationRejectedException(string providerId, string message)
    : ProviderException(providerId, message);

/// <summary>The shopper's return parameters do not describe this payment (another token, another reference): a
/// forged or stale return. The gateway changes nothing and keeps asking with what it knew before.</summary>
public sealed class ProviderReturnRejectedException(string providerId, string message)
    : ProviderException(providerId, message);
