using System.Net;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>What SmartPay said when it refused, as far as its error body was readable (its error model is not
/// public beyond "do not show technical codes to shoppers").</summary>
public sealed record JpmSmartPayError(string? Code, string? Message);

/// <summary>SmartPay refused or failed. Messages never carry keys, tokens or the Authorization header.</summary>
public sealed class JpmSmartPayException(string message, HttpStatusCode? statusCode = null, JpmSmartPayError? error = null, Exception? inner = null)
    : ProviderException(JpmSmartPayProvider.ProviderId, message, statusCode, error?.Code, inner)
{
    public JpmSmartPayError? Error { get; } = error;
}
