using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SnipcartGateway.Hosting;

/// <summary>
/// Reads the host's timer invocation body:
/// { "Data": { "&lt;binding&gt;": { "Schedule":..., "ScheduleStatus":..., "IsPastDue": bool } }, "Metadata": { "sys": { "UtcNow": ... } } }.
/// Tolerant on purpose: the shape is not formally specified, so names are matched case-insensitively,
/// anything missing gets a default, and the timer value may be an object or a JSON string holding one
/// (the host JSON-encodes values it only knows as strings).
/// </summary>
internal static class TimerPayloadReader
{
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    /// <exception cref="FormatException">The body is not JSON at all.</exception>
    public static async Task<TimerInvocation> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        return Read(text);
    }

    public static TimerInvocation Read(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new TimerInvocation(false, null);
        }

        var root = Parse(text) as JsonObject;
        var timer = Unwrap(TimerValue(Get(root, "Data") as JsonObject)) as JsonObject;
        var isPastDue = ReadBool(Get(timer, "IsPastDue"));
        var utcNow = ReadDate(Get(Unwrap(Get(Unwrap(Get(root, "Metadata")) as JsonObject, "sys")) as JsonObject, "UtcNow"));
        return new TimerInvocation(isPastDue, utcNow);
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text, CaseInsensitive);
        }
        catch (JsonException e)
        {
            throw new FormatException("The body is not JSON: " + e.Message, e);
        }
    }

    /// <summary>The binding is named in function.json ("timer"), but take any single entry: older function.json files may differ.</summary>
    private static JsonNode? TimerValue(JsonObject? data)
    {
        if (data is null)
        {
            return null;
        }
        return Get(data, "timer") ?? data.Select(pair => pair.Value).FirstOrDefault(value => value is not null);
    }

    /// <summary>A JSON string that itself holds JSON becomes that JSON; anything else is returned as is.</summary>
    private static JsonNode? Unwrap(JsonNode? node)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.TrimStart().StartsWith('{'))
        {
            try
            {
                return JsonNode.Parse(text, CaseInsensitive);
            }
            catch (JsonException)
            {
                return node;
            }
        }
        return node;
    }

    private static JsonNode? Get(JsonObject? obj, string name)
    {
        if (obj is null)
        {
            return null;
        }
        foreach (var (key, value) in obj)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    private static bool ReadBool(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var b) => b,
        _ => false,
    };

    private static DateTimeOffset? ReadDate(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s)
        && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : null;
}
