using System.Globalization;

namespace SnipcartGateway.Storage.Tables;

/// <summary>Text forms of typed values shared by the JSON body and filter literals.</summary>
internal static class TableValueFormat
{
    public const string EdmInt64 = "Edm.Int64";
    public const string EdmInt32 = "Edm.Int32";
    public const string EdmDouble = "Edm.Double";
    public const string EdmDateTime = "Edm.DateTime";
    public const string EdmGuid = "Edm.Guid";
    public const string EdmBinary = "Edm.Binary";
    public const string EdmBoolean = "Edm.Boolean";
    public const string EdmString = "Edm.String";

    /// <summary>ISO 8601 UTC with 7 fractional digits: the service's own precision (100 ns ticks).</summary>
    public static string FormatDateTime(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseDateTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>A DateTime of unspecified kind is taken as UTC, as the service stores only UTC.</summary>
    public static DateTimeOffset ToUtcOffset(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime()),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)),
    };
}
