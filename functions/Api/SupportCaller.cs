using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace SnipcartGateway.Api;

/// <summary>
/// Who called a support function. The Functions host checks the key (auth level <c>function</c>) and describes the
/// caller in claims (auth level, key id = the key's name); those are used when the host passes them to the worker.
/// When it does not, the caller is named by a short fingerprint of the key it sent (SHA-256, 8 hex digits): enough to
/// tell keys apart in the action log, useless for calling the API.
/// </summary>
public static class SupportCaller
{
    public const string KeyIdClaim = "http://schemas.microsoft.com/2017/07/functions/claims/keyid";
    public const string AuthLevelClaim = "http://schemas.microsoft.com/2017/07/functions/claims/authlevel";

    public static async Task<string> IdentifyAsync(FunctionContext? context, HttpRequest request)
    {
        var identities = new List<ClaimsIdentity>(request.HttpContext.User?.Identities ?? []);
        if (context is not null && await TryRequestDataAsync(context) is { } data)
        {
            identities.AddRange(data.Identities);
        }
        var claims = identities.SelectMany(i => i.Claims).ToList();
        if (claims.FirstOrDefault(c => c.Type == KeyIdClaim)?.Value is { Length: > 0 } keyName)
        {
            var level = claims.FirstOrDefault(c => c.Type == AuthLevelClaim)?.Value;
            return level is null ? $"key {keyName}" : $"key {keyName} ({level})";
        }
        var key = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        return string.IsNullOrEmpty(key) ? "unknown caller" : "key sha256:" + Fingerprint(key);
    }

    public static string Fingerprint(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];

    private static async Task<HttpRequestData?> TryRequestDataAsync(FunctionContext context)
    {
        try
        {
            return await context.GetHttpRequestDataAsync();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
