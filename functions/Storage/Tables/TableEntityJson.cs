using System.Globalization;
using System.Text.Json;
using Azure;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// The OData JSON form of entities. Writes every non-string, non-Int32, non-bool value with an
/// <c>@odata.type</c> annotation (Int64 as a string, as OData requires); reads the annotations that
/// <c>odata=minimalmetadata</c> responses carry to give values back their .NET types.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";
    private const string ETagProperty = "odata.etag";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(TableEntity.PartitionKeyName, entity.PartitionKey);
            writer.WriteString(TableEntity.RowKeyName, entity.RowKey);
            foreach (var (name, value) in entity)
            {
                // Timestamp is the service's; nulls are not stored (a Replace drops them, a Merge keeps the old value).
                if (name is TableEntity.PartitionKeyName or TableEntity.RowKeyName or TableEntity.TimestampName
                    || value is null || name.StartsWith("odata.", StringComparison.Ordinal))
                {
                    continue;
                }
                WriteProperty(writer, name, value);
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                writer.WriteString(name + TypeSuffix, TableValueFormat.EdmInt64);
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // Annotated so 2.0 is not read back as Int32; NaN and infinities travel as OData's strings.
                writer.WriteString(name + TypeSuffix, TableValueFormat.EdmDouble);
                if (double.IsFinite(d))
                {
                    writer.WriteNumber(name, d);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }
                break;
            case DateTimeOffset dto:
                writer.WriteString(name + TypeSuffix, TableValueFormat.EdmDateTime);
                writer.WriteString(name, TableValueFormat.FormatDateTime(dto));
                break;
            case DateTime dt:
                writer.WriteString(name + TypeSuffix, TableValueFormat.EdmDateTime);
                writer.WriteString(name, TableValueFormat.FormatDateTime(TableValueFormat.ToUtcOffset(dt)));
                break;
            case Guid g:
                writer.WriteString(name + TypeSuffix, TableValueFormat.EdmGuid);
                writer.WriteString(name, g.ToString("D"));
                break;
            case byte[] bytes:
                writer.WriteString(name + TypeSuffix, TableValueFormat.EdmBinary);
                writer.WriteBase64String(name, bytes);
                break;
            default:
                throw new ArgumentException(
                    $"Property '{name}' has type {value.GetType().Name}; entities hold string, bool, int, long, double, DateTimeOffset, Guid or byte[].",
                    nameof(value));
        }
    }

    /// <summary>One entity object from a GET or a query's <c>value</c> array.</summary>
    public static TableEntity Read(JsonElement element)
    {
        var entity = new TableEntity();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.EndsWith(TypeSuffix, StringComparison.Ordinal))
            {
                types[property.Name[..^TypeSuffix.Length]] = property.Value.GetString() ?? "";
            }
        }
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name == ETagProperty)
            {
                entity.ETag = new ETag(property.Value.GetString() ?? "");
                continue;
            }
            if (name.StartsWith("odata.", StringComparison.Ordinal) || name.EndsWith(TypeSuffix, StringComparison.Ordinal))
            {
                continue;
            }
            entity[name] = ReadValue(property.Value, types.GetValueOrDefault(name), name);
        }
        return entity;
    }

    private static object? ReadValue(JsonElement value, string? edmType, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        // Timestamp is always a DateTime, whether or not the response annotated it.
        if (name == TableEntity.TimestampName && value.ValueKind == JsonValueKind.String)
        {
            return TableValueFormat.ParseDateTime(value.GetString()!);
        }
        switch (edmType)
        {
            case TableValueFormat.EdmInt64:
                return value.ValueKind == JsonValueKind.String
                    ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
                    : value.GetInt64();
            case TableValueFormat.EdmInt32:
                return value.GetInt32();
            case TableValueFormat.EdmDouble:
                return value.ValueKind == JsonValueKind.String ? ParseDoubleString(value.GetString()!) : value.GetDouble();
            case TableValueFormat.EdmDateTime:
                return TableValueFormat.ParseDateTime(value.GetString()!);
            case TableValueFormat.EdmGuid:
                return Guid.Parse(value.GetString()!);
            case TableValueFormat.EdmBinary:
                return value.GetBytesFromBase64();
        }
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            // Unannotated numbers are Int32 or Double; the service writes doubles with a fraction or exponent.
            // (Boxed on each branch: a bare "? int : double" would make every number a double.)
            JsonValueKind.Number => IsIntegerText(value.GetRawText()) && value.TryGetInt32(out var i) ? (object)i : (object)value.GetDouble(),
            _ => value.GetRawText(),
        };
    }

    private static bool IsIntegerText(string raw) => !raw.Contains('.') && !raw.Contains('e') && !raw.Contains('E');

    private static double ParseDoubleString(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" or "INF" => double.PositiveInfinity,
        "-Infinity" or "-INF" => double.NegativeInfinity,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
