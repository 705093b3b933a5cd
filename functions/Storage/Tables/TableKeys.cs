using System.Text;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// PartitionKey/RowKey rules. The service forbids <c>/ \ # ?</c> and control characters and caps keys at 1 KiB;
/// we refuse such keys before sending anything, because the service's answer for them is an unhelpful 400 (or,
/// for <c>#</c> and <c>?</c>, a request for a different URL altogether).
/// </summary>
public static class TableKeys
{
    public const int MaxKeyBytes = 1024;

    public static void Validate(string? key, string keyName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(keyName, $"{keyName} must not be null.");
        }
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
                throw new ArgumentException($"{keyName} must not contain '/', '\\', '#', '?' or control characters; it contains {shown}.", keyName);
            }
        }
        // "Up to 1 KiB in size": Azure sizes strings as UTF-16 (2 bytes a char in its entity-size formula),
        // so this allows 512 BMP characters.
        if (Encoding.Unicode.GetByteCount(key) > MaxKeyBytes)
        {
            throw new ArgumentException($"{keyName} is longer than {MaxKeyBytes} bytes ({key.Length} characters).", keyName);
        }
    }

    /// <summary>
    /// The URL path segment addressing one entity: <c>(PartitionKey='pk',RowKey='rk')</c>, each key with <c>'</c>
    /// doubled (OData string literal) and then percent-encoded, so spaces, <c>%</c>, <c>+</c> and non-ASCII
    /// characters survive the trip.
    /// </summary>
    public static string EntityPath(string partitionKey, string rowKey)
    {
        Validate(partitionKey, TableEntity.PartitionKeyName);
        Validate(rowKey, TableEntity.RowKeyName);
        return $"(PartitionKey='{EscapeLiteral(partitionKey)}',RowKey='{EscapeLiteral(rowKey)}')";
    }

    private static string EscapeLiteral(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
