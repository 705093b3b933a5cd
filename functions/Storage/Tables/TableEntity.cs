using System.Collections;
using Azure;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// A table entity as a property bag, like Azure.Data.Tables.TableEntity. Values may be string, bool, int, long,
/// double, DateTimeOffset, Guid or byte[]; decimals are stored as invariant strings by the callers, because the
/// service has no decimal type.
/// </summary>
public sealed class TableEntity : IDictionary<string, object?>
{
    public const string PartitionKeyName = "PartitionKey";
    public const string RowKeyName = "RowKey";
    public const string TimestampName = "Timestamp";

    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey
    {
        get => GetString(PartitionKeyName) ?? "";
        set => _properties[PartitionKeyName] = value;
    }

    public string RowKey
    {
        get => GetString(RowKeyName) ?? "";
        set => _properties[RowKeyName] = value;
    }

    public DateTimeOffset? Timestamp
    {
        get => _properties.TryGetValue(TimestampName, out var v) ? v as DateTimeOffset? : null;
        set => _properties[TimestampName] = value;
    }

    /// <summary>Set by reads and writes; not a property of the stored entity.</summary>
    public ETag ETag { get; set; }

    public string? GetString(string key) => _properties.TryGetValue(key, out var v) ? v as string : null;

    public bool? GetBoolean(string key) => _properties.TryGetValue(key, out var v) ? v as bool? : null;

    public int? GetInt32(string key) => _properties.TryGetValue(key, out var v) ? v switch
    {
        int i => i,
        long l => checked((int)l),
        _ => null,
    } : null;

    public long? GetInt64(string key) => _properties.TryGetValue(key, out var v) ? v switch
    {
        long l => l,
        int i => i,
        _ => null,
    } : null;

    public DateTimeOffset? GetDateTimeOffset(string key) => _properties.TryGetValue(key, out var v) ? v switch
    {
        DateTimeOffset d => d,
        DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        _ => null,
    } : null;

    public object? this[string key]
    {
        get => _properties.TryGetValue(key, out var v) ? v : null;
        set => _properties[key] = value;
    }

    public ICollection<string> Keys => _properties.Keys;
    public ICollection<object?> Values => _properties.Values;
    public int Count => _properties.Count;
    public bool IsReadOnly => false;
    public void Add(string key, object? value) => _properties.Add(key, value);
    public void Add(KeyValuePair<string, object?> item) => _properties.Add(item.Key, item.Value);
    public void Clear() => _properties.Clear();
    public bool Contains(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Contains(item);
    public bool ContainsKey(string key) => _properties.ContainsKey(key);
    public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, object?>>)_properties).CopyTo(array, arrayIndex);
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();
    public bool Remove(string key) => _properties.Remove(key);
    public bool Remove(KeyValuePair<string, object?> item) => ((ICollection<KeyValuePair<string, object?>>)_properties).Remove(item);
    public bool TryGetValue(string key, out object? value) => _properties.TryGetValue(key, out value);
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
