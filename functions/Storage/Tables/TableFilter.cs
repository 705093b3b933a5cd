using System.Globalization;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions with correctly formatted literals, so no caller concatenates user data
/// into a filter: <c>TableFilter.And(TableFilter.Equal("PartitionKey", pk), TableFilter.GreaterThan("Amount", 10L))</c>.
/// </summary>
public static class TableFilter
{
    public static string Equal(string property, object value) => Compare(property, "eq", value);
    public static string NotEqual(string property, object value) => Compare(property, "ne", value);
    public static string GreaterThan(string property, object value) => Compare(property, "gt", value);
    public static string GreaterThanOrEqual(string property, object value) => Compare(property, "ge", value);
    public static string LessThan(string property, object value) => Compare(property, "lt", value);
    public static string LessThanOrEqual(string property, object value) => Compare(property, "le", value);

    public static string And(params string[] filters) => Combine("and", filters);
    public static string Or(params string[] filters) => Combine("or", filters);
    public static string Not(string filter) => $"not ({filter})";

    /// <summary>An OData literal for a value of one of the supported entity types.</summary>
    public static string Literal(object value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "The Table service cannot filter on null."),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => FormatDouble(d),
        DateTimeOffset dto => "datetime'" + TableValueFormat.FormatDateTime(dto) + "'",
        DateTime dt => "datetime'" + TableValueFormat.FormatDateTime(TableValueFormat.ToUtcOffset(dt)) + "'",
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexString(bytes) + "'",
        _ => throw new ArgumentException($"Values of type {value.GetType().Name} cannot be used in a table filter.", nameof(value)),
    };

    private static string Compare(string property, string op, object value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(property);
        if (!property.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{property}' is not a valid property name.", nameof(property));
        }
        return $"{property} {op} {Literal(value)}";
    }

    private static string FormatDouble(double d)
    {
        if (!double.IsFinite(d))
        {
            throw new ArgumentException("NaN and infinities cannot be used in a table filter.", nameof(d));
        }
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        // A whole number must still read as a double, not an Int32.
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    private static string Combine(string op, string[] filters)
    {
        var parts = filters.Where(f => !string.IsNullOrWhiteSpace(f)).ToArray();
        return parts.Length switch
        {
            0 => throw new ArgumentException("At least one filter is required.", nameof(filters)),
            1 => parts[0],
            _ => string.Join($" {op} ", parts.Select(p => $"({p})")),
        };
    }
}
