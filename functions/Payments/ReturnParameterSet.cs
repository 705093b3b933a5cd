namespace SnipcartGateway.Payments;

/// <summary>A shopper's return query, bounded before it is handed to a provider or kept on the attempt: it comes
/// from the browser, so a huge or odd query must not bloat the attempt's row.</summary>
internal static class ReturnParameterSet
{
    public const int MaxParameters = 20;
    public const int MaxKeyLength = 64;
    public const int MaxValueLength = 2048;

    public static IReadOnlyDictionary<string, string> Bound(IReadOnlyDictionary<string, string> query) =>
        query.Where(p => p.Key.Length is > 0 and <= MaxKeyLength && p.Value.Length <= MaxValueLength)
             .Take(MaxParameters)
             .ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
}
