using System.Net;
using System.Text.Json;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>Smartpay's error answer: <c>{statusCode, errorCode, message, details}</c> (sdk-node <c>base.ts</c>,
/// sdk-go <c>types.go</c>).</summary>
public sealed record SmartpayError(int? StatusCode, string? ErrorCode, string? Message, JsonElement? Details);

/// <summary>Smartpay refused or failed. <see cref="ProviderException.ShopperMessage"/> says it for the shopper.</summary>
public sealed class SmartpayException(string message, HttpStatusCode? statusCode = null, SmartpayError? error = null, Exception? inner = null)
    : ProviderException(SmartpayProvider.ProviderId, message, statusCode, error?.ErrorCode, inner)
{
    public SmartpayError? Error { get; } = error;
}
