using System.Text.Json;
using System.Text.Json.Serialization;

namespace SnipcartGateway.Providers.Snapplify;

/// <summary>The body of <c>POST /payment/request</c>. Fields as Snapplify's docs and its WooCommerce plugin name
/// them; <c>declinedUrl</c> and <c>notificationUrl</c> come from its flow and IPN docs.</summary>
/// <param name="Amount">Major units with exactly two decimals (see <see cref="SnapplifyAmount"/>).</param>
/// <param name="Currency">ISO-4217, upper case.</param>
/// <param name="Country">ISO-3166 alpha-2 billing country, upper case; left out when Snipcart has none.</param>
public sealed record SnapplifyPaymentRequest(
    string ReferenceCode,
    decimal Amount,
    string Currency,
    string? Country,
    string Description,
    string RedirectUrl,
    string DeclinedUrl,
    string? NotificationUrl);

/// <summary>The answer to <c>POST /payment/request</c>: <c>token</c> and <c>redirectUrl</c>, or <c>code</c> and
/// <c>message</c> for an error (the plugin reads exactly these four).</summary>
public sealed record SnapplifyPaymentRequestAnswer(string? Token, string? RedirectUrl, string? Code, string? Message);

/// <summary>The wrapper <c>{"payment": {...}}</c> of /payment/validate answers and of IPN bodies.</summary>
public sealed record SnapplifyPaymentEnvelope(SnapplifyPayment? Payment);

/// <summary>
/// A Snapplify payment, as the IPN example in its docs shows it (the plugin reads the same field names from the
/// validate answer). <see cref="Code"/>/<see cref="Message"/> are set instead when validate refuses.
/// </summary>
public sealed record SnapplifyPayment
{
    public string? Code { get; init; }
    public string? Message { get; init; }
    public string? AuthorisationCode { get; init; }
    public string? ReferenceCode { get; init; }
    public string? TransactionId { get; init; }
    public string? Country { get; init; }
    public string? Currency { get; init; }
    public decimal? Amount { get; init; }
    public string? PaymentMethod { get; init; }
    public string? PaymentState { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public bool? Validated { get; init; }
    public string? CreatedDate { get; init; }
    public string? UpdatedDate { get; init; }
    public string? CompletedDate { get; init; }
    public string? ValidatedDate { get; init; }
}

/// <summary>The return's query parameters (<c>client</c>, <c>token</c>, <c>success</c>, <c>referenceCode</c>,
/// <c>errorCode</c>, <c>errorMessage</c>). Claims of the shopper's browser: only ever used to ask Snapplify.</summary>
public sealed record SnapplifyReturn(string? Token, string? ReferenceCode, string? Success, string? ErrorCode = null)
{
    /// <summary>The return says the shopper did not complete the payment (declined, cancelled on Snapplify's page).</summary>
    public bool SaysNotCompleted => Success == "0" || ErrorCode is not null;

    public static readonly string[] ParameterNames = ["client", "token", "success", "referenceCode", "errorCode", "errorMessage"];

    /// <summary>The return Snapplify made, or null when the parameters are not one (none of token, referenceCode or
    /// success: the shopper came back some other way, or the lookup is not a return at all).</summary>
    public static SnapplifyReturn? From(IReadOnlyDictionary<string, string> parameters)
    {
        string? Get(string name) =>
            parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { Length: > 0 } value ? value : null;
        var token = Get("token");
        var reference = Get("referenceCode");
        var success = Get("success");
        return token is null && reference is null && success is null ? null : new SnapplifyReturn(token, reference, success, Get("errorCode"));
    }
}

public static class SnapplifyJson
{
    /// <summary>camelCase both ways; numbers accepted as strings too (Snapplify documents no types); nulls left out.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static T? TryParse<T>(string text) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Amounts as Snapplify takes them: major units, two decimals, exact.</summary>
public static class SnapplifyAmount
{
    /// <summary>The amount with exactly two decimals (49.9 → 49.90, 7200 → 7200.00), or null when it has more
    /// precision than two decimals can carry exactly (never rounded: the shopper pays what Snipcart asked).</summary>
    public static decimal? ToWire(decimal amount)
    {
        var rounded = decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
        // decimal keeps the larger scale of a sum: adding 0.00 gives every exact value two decimals.
        return rounded == amount ? rounded + 0.00m : null;
    }
}
