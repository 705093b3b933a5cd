using System.Buffers.Text;
using System.Text;

namespace SnipcartGateway.Storage.Payments;

/// <summary>
/// Table keys may not hold / \ # ? or control characters. Our own refs never do; Snipcart's session ids are
/// documented as GUID-like, but they come from outside, so anything unusual is encoded rather than trusted.
/// </summary>
public static class StorageKeys
{
    private const string EncodedPrefix = "b64_";

    /// <summary>Table keys hold at most 1 KiB; ours stay well under it.</summary>
    public const int MaxKeyLength = 1000;

    /// <summary>True when <see cref="ForExternalId"/> of <paramref name="id"/> fits a table key.</summary>
    public static bool Fits(string id) => ForExternalId(id).Length <= MaxKeyLength;

    public static string ForExternalId(string id)
    {
        var safe = id.Length is > 0 and <= 200 && !id.StartsWith(EncodedPrefix, StringComparison.Ordinal) &&
                   id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
        return safe ? id : EncodedPrefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(id));
    }
}
