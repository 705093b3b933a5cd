namespace SnipcartGateway.Providers;

/// <summary>
/// The small bag of a provider's own fields kept on an attempt: its ids (transaction id, checkout token, order and
/// payment ids, reconciliation reference) and what its support asks for. Written by create, lookups and
/// notifications; handed back to every later call. Bounded, so a provider answer cannot bloat the attempt's row.
/// </summary>
public static class ProviderData
{
    public const int MaxKeys = 32;
    public const int MaxKeyLength = 64;
    /// <summary>A value (say, a full status answer kept for support) is cut at this many characters.</summary>
    public const int MaxValueLength = 16_000;
    public const int MaxTotalLength = 60_000;

    public static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    /// <summary>Adds or replaces <paramref name="update"/>'s fields in <paramref name="target"/>, within the bounds
    /// (keys past the bounds are dropped; a value too long is cut). True when anything changed.</summary>
    public static bool Merge(IDictionary<string, string> target, IReadOnlyDictionary<string, string>? update)
    {
        if (update is null)
        {
            return false;
        }
        var changed = false;
        foreach (var (key, raw) in update)
        {
            if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || raw is null)
            {
                continue;
            }
            var value = raw.Length > MaxValueLength ? raw[..MaxValueLength] : raw;
            if (target.TryGetValue(key, out var old) && old == value)
            {
                continue;
            }
            if (!target.ContainsKey(key) && target.Count >= MaxKeys)
            {
                continue;
            }
            var total = target.Sum(p => p.Key.Length + p.Value.Length) - (old is null ? 0 : key.Length + old.Length) + key.Length + value.Length;
            if (total > MaxTotalLength)
            {
                continue;
            }
            target[key] = value;
            changed = true;
        }
        return changed;
    }
}
