using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// SmartPay's notifications carry no signature; the merchant registers a Basic user and password with SmartPay's
/// Customer Support and SmartPay sends them with every notification. Checked in constant time (hashes of equal
/// length compared with FixedTimeEquals, so neither the content nor the length leaks). Without configured
/// credentials every notification is refused: an unauthenticated endpoint would let anyone make us poll.
/// </summary>
public static class JpmSmartPayNotificationVerifier
{
    public static void Verify(IReadOnlyDictionary<string, string> headers, JpmSmartPayNotificationOptions settings)
    {
        if (!settings.IsConfigured)
        {
            throw Reject("Providers__JpmSmartPay__Notifications__Username and __Password are not set");
        }
        var header = headers.FirstOrDefault(h => string.Equals(h.Key, "Authorization", StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrWhiteSpace(header) || !AuthenticationHeaderValue.TryParse(header, out var parsed)
            || !string.Equals(parsed.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(parsed.Parameter))
        {
            throw Reject("no Basic credentials");
        }
        byte[] given;
        try
        {
            given = Convert.FromBase64String(parsed.Parameter.Trim());
        }
        catch (FormatException)
        {
            throw Reject("malformed Basic credentials");
        }
        var expected = Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}");
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected)))
        {
            throw Reject("wrong user or password");
        }
    }

    private static ProviderNotificationRejectedException Reject(string why) =>
        new(JpmSmartPayProvider.ProviderId, "SmartPay notification rejected: " + why + ".");
}
