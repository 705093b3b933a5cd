using System.Text.Json;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// Gives <see cref="RequestFailedException.ErrorCode"/> the Table service's own code (EntityAlreadyExists,
/// UpdateConditionNotSatisfied, ...): from the <c>x-ms-error-code</c> header, else from the body, which is
/// JSON (<c>{"odata.error":{"code":..,"message":{"value":..}}}</c>) or, for some failures such as a bad signature,
/// XML (<c>&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;</c>).
/// </summary>
public sealed class TableRequestFailedDetailsParser : RequestFailedDetailsParser
{
    public const string ErrorCodeHeader = "x-ms-error-code";

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue(ErrorCodeHeader, out var headerCode);
        var (bodyCode, bodyMessage) = ReadBody(response);
        var code = !string.IsNullOrEmpty(headerCode) ? headerCode : bodyCode;
        if (code is null && bodyMessage is null)
        {
            error = null;
            return false;
        }
        error = new ResponseError(code, bodyMessage ?? code);
        return true;
    }

    private static (string? Code, string? Message) ReadBody(Response response)
    {
        BinaryData content;
        try
        {
            content = response.Content;
        }
        catch (InvalidOperationException)
        {
            return (null, null); // streamed content: nothing we can read
        }
        if (content is null || content.ToMemory().IsEmpty)
        {
            return (null, null);
        }
        var text = content.ToString().TrimStart();
        try
        {
            if (text.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(content.ToMemory());
                if (json.RootElement.TryGetProperty("odata.error", out var odataError))
                {
                    var code = odataError.TryGetProperty("code", out var c) ? c.GetString() : null;
                    string? message = null;
                    if (odataError.TryGetProperty("message", out var m))
                    {
                        message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                    }
                    return (code, message);
                }
            }
            else if (text.StartsWith('<'))
            {
                var root = XDocument.Parse(text).Root;
                return (root?.Element("Code")?.Value, root?.Element("Message")?.Value);
            }
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException)
        {
            // Not a storage error body (a proxy's HTML page, say): fall back to the status alone.
        }
        return (null, null);
    }
}
