using Azure.Data.Tables;

namespace SnipcartGateway.Storage.Payments;

/// <summary>
/// Compares what we wrote with what the service holds, ignoring keys and service-maintained properties. Used after
/// a 409/412 to tell "our own write landed and the SDK's retry of it was refused" from "someone else won".
/// </summary>
internal static class EntityContent
{
    public static bool Matches(TableEntity written, TableEntity stored)
    {
        var mine = Properties(written);
        var theirs = Properties(stored);
        return mine.Count == theirs.Count &&
               mine.All(p => theirs.TryGetValue(p.Key, out var value) && SameValue(p.Value, value));
    }

    private static Dictionary<string, object> Properties(TableEntity entity) =>
        entity.Where(p => p.Value is not null && !IsServiceProperty(p.Key))
              .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static bool IsServiceProperty(string name) =>
        name is TableConstants.PartitionKey or TableConstants.RowKey or TableConstants.Timestamp ||
        name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains("@odata.", StringComparison.Ordinal);

    // Reads come back as the wire types: Int32 may be read where we wrote a smaller integer type, and DateTime
    // values come back as DateTimeOffset in UTC.
    private static bool SameValue(object mine, object theirs) => (mine, theirs) switch
    {
        (DateTimeOffset a, DateTimeOffset b) => a == b,
        (DateTime a, DateTimeOffset b) => new DateTimeOffset(a.ToUniversalTime()) == b,
        (int or long, int or long) => Convert.ToInt64(mine, System.Globalization.CultureInfo.InvariantCulture) == Convert.ToInt64(theirs, System.Globalization.CultureInfo.InvariantCulture),
        (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
        (BinaryData a, BinaryData b) => a.ToMemory().Span.SequenceEqual(b.ToMemory().Span),
        (byte[] a, BinaryData b) => a.AsSpan().SequenceEqual(b.ToMemory().Span),
        _ => mine.Equals(theirs),
    };

    private static class TableConstants
    {
        public const string PartitionKey = "PartitionKey";
        public const string RowKey = "RowKey";
        public const string Timestamp = "Timestamp";
    }
}
