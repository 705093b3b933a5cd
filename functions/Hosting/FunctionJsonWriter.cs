using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing.Patterns;

namespace SnipcartGateway.Hosting;

/// <summary>One Azure Functions function: its folder name and the content of its function.json.</summary>
public sealed record FunctionDefinition(string Name, string Json);

/// <summary>
/// Generates the function.json files from the app's endpoints, so routes are declared once (in C#). HTTP
/// functions: one per route template, methods merged; timers: one per <see cref="TimerFunctionMetadata"/>.
/// Endpoints without function metadata (the readiness answer at "/", static files) are not functions.
/// </summary>
public static class FunctionJsonWriter
{
    public const string FileName = "function.json";

    private static readonly string[] AllMethods = ["get", "post", "put", "patch", "delete", "head", "options"];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 2, NewLine = "\n" };

    /// <summary>The functions the endpoints declare, sorted by name.</summary>
    /// <exception cref="InvalidOperationException">Two routes claim one name, or one route has two names.</exception>
    public static IReadOnlyList<FunctionDefinition> Describe(IEnumerable<Endpoint> endpoints)
    {
        var http = new Dictionary<string, HttpFunction>(StringComparer.OrdinalIgnoreCase);
        var timers = new Dictionary<string, TimerFunctionMetadata>(StringComparer.OrdinalIgnoreCase);

        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<TimerFunctionMetadata>() is { } timer)
            {
                if (!timers.TryAdd(timer.Name, timer) && timers[timer.Name] != timer)
                {
                    throw new InvalidOperationException($"Timer function {timer.Name} is declared twice with different schedules.");
                }
                continue;
            }
            if (endpoint.Metadata.GetMetadata<HttpFunctionMetadata>() is not { } function)
            {
                continue;
            }

            var route = RouteTemplate(endpoint.RoutePattern);
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Select(m => m.ToLowerInvariant()).ToArray()
                ?? AllMethods;
            if (http.TryGetValue(function.Name, out var existing))
            {
                if (!string.Equals(existing.Route, route, StringComparison.OrdinalIgnoreCase) || existing.AuthLevel != function.AuthLevel)
                {
                    throw new InvalidOperationException(
                        $"Function name {function.Name} is used by two different routes or auth levels ({existing.Route}, {route}): " +
                        "one function per route template, each with a unique name.");
                }
                existing.Methods.UnionWith(methods);
                continue;
            }

            var sameRoute = http.Values.FirstOrDefault(f => string.Equals(f.Route, route, StringComparison.OrdinalIgnoreCase));
            if (sameRoute is not null)
            {
                throw new InvalidOperationException(
                    $"Route {route} is declared as two functions ({sameRoute.Name}, {function.Name}): give all its methods the same function name.");
            }
            http[function.Name] = new HttpFunction(function.Name, route, function.AuthLevel, [.. methods]);
        }

        foreach (var name in http.Keys.Intersect(timers.Keys, StringComparer.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{name} is declared both as an HTTP function and a timer.");
        }

        return http.Values.Select(f => new FunctionDefinition(f.Name, HttpFunctionJson(f)))
            .Concat(timers.Values.Select(t => new FunctionDefinition(t.Name, TimerFunctionJson(t))))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Writes &lt;directory&gt;/&lt;Name&gt;/function.json for each function, after removing function folders that
    /// no longer exist (so a deleted endpoint does not leave a stale function behind).
    /// </summary>
    public static void Write(string directory, IReadOnlyList<FunctionDefinition> functions)
    {
        Directory.CreateDirectory(directory);
        foreach (var stale in Directory.GetDirectories(directory).Where(d => File.Exists(Path.Combine(d, FileName))))
        {
            Directory.Delete(stale, recursive: true);
        }
        foreach (var function in functions)
        {
            var folder = Path.Combine(directory, function.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, FileName), function.Json, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }

    /// <summary>
    /// The Functions route template for an ASP.NET Core pattern: no leading slash (host.json sets routePrefix ""),
    /// parameters without constraints, catch-alls as {*name}.
    /// </summary>
    public static string RouteTemplate(RoutePattern pattern)
    {
        var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { IsCatchAll: true } parameter => "{*" + parameter.Name + "}",
            RoutePatternParameterPart { IsOptional: true } parameter => "{" + parameter.Name + "?}",
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => throw new InvalidOperationException($"Unsupported route part in {pattern.RawText}"),
        })));
        return string.Join('/', segments);
    }

    private static string HttpFunctionJson(HttpFunction function)
    {
        var methods = new JsonArray(function.Methods.Order(StringComparer.Ordinal).Select(m => (JsonNode)JsonValue.Create(m)).ToArray());
        var json = new JsonObject
        {
            ["bindings"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = "req",
                    ["authLevel"] = function.AuthLevel,
                    ["methods"] = methods,
                    ["route"] = function.Route,
                },
                new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
        };
        return json.ToJsonString(Indented) + "\n";
    }

    private static string TimerFunctionJson(TimerFunctionMetadata timer)
    {
        var json = new JsonObject
        {
            ["bindings"] = new JsonArray(new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = "timer",
                ["schedule"] = timer.Schedule,
            }),
        };
        return json.ToJsonString(Indented) + "\n";
    }

    private sealed record HttpFunction(string Name, string Route, string AuthLevel, HashSet<string> Methods);
}
