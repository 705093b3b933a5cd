using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Hosting;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>
/// The function.json files are generated from the C# endpoints and committed under functions/function-json.
/// These tests fail when the two drift: run ./scripts/write-function-json.sh and commit the result.
/// </summary>
public sealed class FunctionJsonTests(GatewayAppFactory factory) : IClassFixture<GatewayAppFactory>
{
    private const string Fix = "Run ./scripts/write-function-json.sh and commit functions/function-json.";

    private IReadOnlyList<Endpoint> Endpoints()
    {
        factory.CreateClient().Dispose(); // starts the app so its endpoints are registered
        return factory.Services.GetRequiredService<EndpointDataSource>().Endpoints;
    }

    [Fact]
    public void Committed_function_json_matches_the_endpoints()
    {
        var generated = Path.Combine(Path.GetTempPath(), "function-json-" + Guid.NewGuid().ToString("N"));
        try
        {
            FunctionJsonWriter.Write(generated, FunctionJsonWriter.Describe(Endpoints()));
            var committed = RepoPaths.Combine("functions", "function-json");

            var expected = ReadFolders(generated);
            var actual = ReadFolders(committed);
            var problems = new StringBuilder();
            foreach (var name in expected.Keys.Except(actual.Keys))
            {
                problems.AppendLine($"- endpoint function {name} has no committed {name}/function.json");
            }
            foreach (var name in actual.Keys.Except(expected.Keys))
            {
                problems.AppendLine($"- committed {name}/function.json has no endpoint declaring it (.AsFunction / MapTimerFunction)");
            }
            foreach (var name in expected.Keys.Intersect(actual.Keys).Where(n => Normalize(expected[n]) != Normalize(actual[n])))
            {
                problems.AppendLine($"- {name}/function.json differs (route, methods, authLevel or schedule).\n  expected: {Normalize(expected[name])}\n  committed: {Normalize(actual[name])}");
            }
            Assert.True(problems.Length == 0, $"function.json files are out of date. {Fix}\n{problems}");
        }
        finally
        {
            if (Directory.Exists(generated))
            {
                Directory.Delete(generated, recursive: true);
            }
        }
    }

    [Fact]
    public void Every_api_endpoint_is_declared_as_a_function()
    {
        var undeclared = Endpoints().OfType<RouteEndpoint>()
            .Where(e => (e.RoutePattern.RawText ?? "").TrimStart('/').StartsWith("api/", StringComparison.OrdinalIgnoreCase))
            .Where(e => e.Metadata.GetMetadata<HttpFunctionMetadata>() is null)
            .Select(e => e.DisplayName ?? e.RoutePattern.RawText)
            .ToList();
        Assert.True(undeclared.Count == 0,
            "These /api/ endpoints are not Azure Functions, so the Functions host would never forward to them. " +
            "Add .AsFunction(\"Name\") and run ./scripts/write-function-json.sh:\n" + string.Join("\n", undeclared));
    }

    [Fact]
    public void Health_is_an_anonymous_get_function_on_the_full_path()
    {
        var health = FunctionJsonWriter.Describe(Endpoints()).Single(f => f.Name == "Health");
        Assert.Contains("\"route\": \"api/health\"", health.Json);
        Assert.Contains("\"authLevel\": \"anonymous\"", health.Json);
        Assert.Contains("\"get\"", health.Json);
    }

    [Fact]
    public async Task Methods_on_one_route_merge_into_one_function_and_catch_alls_keep_their_star()
    {
        await using var app = await TestApps.StartAsync(a =>
        {
            a.MapGet("/api/orders/{id:int}", () => "").AsFunction("Orders");
            a.MapPut("/api/orders/{id:int}", () => "").AsFunction("Orders");
            a.MapPost("/api/callbacks/{**rest}", () => "").AsFunction("Callbacks", FunctionAuthLevels.Function);
            a.MapTimerFunction("Sweep", "0 */5 * * * *", (_, _, _) => Task.FromResult<IReadOnlyList<string>>([]));
            a.MapGet("/not-a-function", () => "");
        });

        var functions = FunctionJsonWriter.Describe(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));

        Assert.Equal(["Callbacks", "Orders", "Sweep"], functions.Select(f => f.Name));
        var orders = functions.Single(f => f.Name == "Orders").Json;
        Assert.Contains("\"route\": \"api/orders/{id}\"", orders);
        Assert.Matches("\"methods\": \\[\\s*\"get\",\\s*\"put\"\\s*\\]", orders);
        var callbacks = functions.Single(f => f.Name == "Callbacks").Json;
        Assert.Contains("\"route\": \"api/callbacks/{*rest}\"", callbacks);
        Assert.Contains("\"authLevel\": \"function\"", callbacks);
        Assert.Contains("\"type\": \"http\"", callbacks);
        var sweep = functions.Single(f => f.Name == "Sweep").Json;
        Assert.Contains("\"type\": \"timerTrigger\"", sweep);
        Assert.Contains("\"schedule\": \"0 */5 * * * *\"", sweep);
        Assert.Contains("\"name\": \"timer\"", sweep);
    }

    [Fact]
    public async Task Two_names_for_one_route_are_rejected()
    {
        await using var app = await TestApps.StartAsync(a =>
        {
            a.MapGet("/api/things", () => "").AsFunction("ListThings");
            a.MapPost("/api/things", () => "").AsFunction("AddThing");
        });

        var error = Assert.Throws<InvalidOperationException>(() =>
            FunctionJsonWriter.Describe(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints)));
        Assert.Contains("api/things", error.Message);
    }

    [Fact]
    public void Write_removes_function_folders_that_no_longer_exist()
    {
        var dir = Path.Combine(Path.GetTempPath(), "function-json-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "Gone"));
            File.WriteAllText(Path.Combine(dir, "Gone", "function.json"), "{}");

            FunctionJsonWriter.Write(dir, [new FunctionDefinition("Kept", "{}\n")]);

            Assert.False(Directory.Exists(Path.Combine(dir, "Gone")));
            Assert.True(File.Exists(Path.Combine(dir, "Kept", "function.json")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Command_line_option_is_recognised_and_removed_from_the_app_arguments()
    {
        Assert.True(FunctionJsonCommand.TryParse(["--environment", "Production", "--write-function-json", "out"], out var dir, out var rest));
        Assert.Equal(Path.GetFullPath("out"), dir);
        Assert.Equal(["--environment", "Production"], rest);
        Assert.False(FunctionJsonCommand.TryParse(["--urls", "http://x"], out _, out _));
    }

    private static Dictionary<string, string> ReadFolders(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetDirectories(directory)
                .Where(d => File.Exists(Path.Combine(d, FunctionJsonWriter.FileName)))
                .ToDictionary(d => Path.GetFileName(d), d => File.ReadAllText(Path.Combine(d, FunctionJsonWriter.FileName)))
            : [];

    /// <summary>Compares JSON content, not formatting (an editor may have re-indented a committed file).</summary>
    private static string Normalize(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString();
}
