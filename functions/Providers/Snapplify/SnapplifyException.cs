using System.Net;

namespace SnipcartGateway.Providers.Snapplify;

/// <summary>Snapplify's error answer, <c>{"code": ..., "message": ...}</c> (at the top level, or inside <c>payment</c>
/// for /payment/validate).</summary>
public sealed record SnapplifyError(string? Code, string? Message);

/// <summary>Snapplify refused or failed. <see cref="Error"/> is what it said, when it said anything readable. The
/// message never holds a URL: Snapplify's carry the client secret.</summary>
public sealed class SnapplifyException(string message, HttpStatusCode? statusCode = null, SnapplifyError? error = null, Exception? inner = null)
    : ProviderException(SnapplifyProvider.ProviderId, message, statusCode, error?.Code, inner)
{
    public SnapplifyError? Error { get; } = error;
}
