using System.Net;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>Sandbox Pay's problem JSON: <c>{type, title, status, detail, code}</c>.</summary>
public sealed record SandboxPayError(string? Code, string? Title, string? Detail);

/// <summary>Sandbox Pay refused or failed; <see cref="Error"/> is what it said, when it said anything readable.
/// <paramref name="providerId"/> is the adapter that called it (Sandbox Pay, or Sandbox Widget on the same API).</summary>
public sealed class SandboxPayException(string message, HttpStatusCode? statusCode = null, SandboxPayError? error = null, Exception? inner = null, string providerId = SandboxPayProvider.ProviderId)
    : ProviderException(providerId, message, statusCode, error?.Code, inner)
{
    public SandboxPayError? Error { get; } = error;
}
