using System.Text.Json;
using System.Text.Json.Serialization;

namespace SnipcartGateway.Snipcart;

/// <summary>
/// How the gateway reads and writes Snipcart's JSON. Reads are tolerant because Snipcart's docs and samples
/// disagree on casing (PaymentAuthorizationRedirectUrl vs paymentAuthorizationRedirectUrl) and the real
/// payload carries members the docs do not list.
/// </summary>
public static class SnipcartJson
{
    /// <summary>Case-insensitive names, unknown members ignored, numbers also accepted as strings.</summary>
    public static JsonSerializerOptions Read { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>camelCase, as every documented request body is written.</summary>
    public static JsonSerializerOptions Write { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.Strict,
    };
}
