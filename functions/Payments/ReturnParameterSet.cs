using System.Text.Json;

namespace SnipcartGateway.Payments;

/// <summary>A shopper's return query, bounded before it is handed to a provider or kept on the attempt: it comes
/// from the browser, so a huge or odd query must not bloat the attempt's row (one table property holds at most 32K
/// characters, and the row is written with every state change: a row that cannot be written confirms nothing).</summary>
internal static class ReturnParameterSet
{
    public const int MaxParameters = 20;
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 2048;

    /// <summary>The kept set, as stored (JSON, where a non-ASCII character or a quote takes six characters), stays
    /// under this: well inside a table property.</summary>
    public const int MaxStoredLength = 16_000;

    public static IReadOnlyDictionary<string, string> Bound(IReadOnlyDictionary<string, string> query)
    {
        var bounded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var stored = 2;
        foreach (var (key, value) in query)
        {
            if (bounded.Count >= MaxParameters)
            {
                break;
            }
            if (key.Length is 0 or > MaxKeyLength || value.Length > MaxValueLength)
            {
                continue;
            }
            var size = StoredSize(key, value);
            if (stored + size > MaxStoredLength)
            {
                continue;
            }
            bounded[key] = value;
            stored += size;
        }
        return bounded;
    }

    /// <summary>Adds a return the provider accepted to the kept parameters: its keys replace the kept ones, keys it
    /// does not carry are kept (a later return with other parameters, say one a provider ignores, does not wipe
    /// the ones a lookup needs). Within the same bounds: what does not fit is not kept.</summary>
    public static void Keep(IDictionary<string, string> kept, IReadOnlyDictionary<string, string> accepted)
    {
        foreach (var (key, value) in accepted)
        {
            var stored = 2 + kept.Where(p => !string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Sum(p => StoredSize(p.Key, p.Value));
            var count = kept.Count - (kept.ContainsKey(key) ? 1 : 0);
            if (count >= MaxParameters || stored + StoredSize(key, value) > MaxStoredLength)
            {
                continue;
            }
            kept[key] = value;
        }
    }

    private static int StoredSize(string key, string value) =>
        JsonSerializer.Serialize(key).Length + JsonSerializer.Serialize(value).Length + 2;
}
