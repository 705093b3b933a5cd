namespace SnipcartGateway.Payments;

/// <summary>
/// A request the gateway refuses, with the HTTP status and a stable machine code. Endpoints turn it into
/// application/problem+json; nothing was changed when it is thrown before the first write.
/// </summary>
public sealed class GatewayProblemException(int status, string code, string title, string? detail = null) : Exception(title)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    public static GatewayProblemException InvalidToken() =>
        new(StatusCodes.Status401Unauthorized, "invalid_token", "The payment session token is unknown or expired.",
            "Go back to the store and start the checkout again.");

    public static GatewayProblemException SnipcartUnavailable() =>
        new(StatusCodes.Status502BadGateway, "snipcart_unavailable", "Snipcart could not be reached. Please try again.");
}
