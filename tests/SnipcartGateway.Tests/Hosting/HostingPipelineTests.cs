using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>Errors are problem+json; bad input is never a 500; the readiness answer; the custom-handler port; CORS.</summary>
public sealed class HostingPipelineTests
{
    private sealed record Order(int Quantity);

    private static Task<WebApplication> StartAsync(IDictionary<string, string?>? settings = null) => TestApps.StartAsync(app =>
    {
        app.MapGet("/api/boom", string () => throw new InvalidOperationException("db password is hunter2"));
        app.MapPost("/api/orders", (Order order) => Results.Ok(order));
        app.MapGet("/api/items/{id:int}", (int id) => id);
    }, settings);

    [Fact]
    public async Task Root_answers_the_hosts_readiness_probe_with_name_and_version()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("snipcart-gateway", body.GetProperty("name").GetString());
        Assert.StartsWith("0.", body.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Unhandled_exception_is_a_500_problem_without_details()
    {
        await using var app = await StartAsync();

        var response = await app.GetTestClient().GetAsync("/api/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.Contains("traceId", body);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")] // Development throws BadHttpRequestException instead of answering 400 itself
    public async Task Malformed_or_unbindable_json_is_a_400_problem(string environment)
    {
        await using var app = await TestApps.StartAsync(
            a => a.MapPost("/api/orders", (Order order) => Results.Ok(order)),
            environment: environment);
        var client = app.GetTestClient();

        foreach (var body in new[] { "{not json", "{\"quantity\":\"many\"}", "" })
        {
            var response = await client.PostAsync("/api/orders", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Unknown_path_and_wrong_method_are_problem_json()
    {
        await using var app = await StartAsync();
        var client = app.GetTestClient();

        var notFound = await client.GetAsync("/api/nothing-here");
        var wrongMethod = await client.DeleteAsync("/api/orders");

        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
        Assert.Equal(405, (await wrongMethod.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Cors_allows_only_the_configured_origins()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = "https://shop.example, https://pay.example/" });
        var client = app.GetTestClient();

        static HttpRequestMessage Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/orders");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            return request;
        }

        var allowed = await client.SendAsync(Preflight("https://pay.example"));
        var refused = await client.SendAsync(Preflight("https://evil.example"));

        Assert.Equal("https://pay.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("FUNCTIONS_CUSTOMHANDLER_PORT", "7123", "http://127.0.0.1:7123")]
    [InlineData("FUNCTIONS_HTTPWORKER_PORT", "7124", "http://127.0.0.1:7124")]
    public void Custom_handler_port_becomes_a_loopback_url(string variable, string port, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [variable] = port }).Build();
        Assert.Equal(expected, HostingExtensions.CustomHandlerUrl(configuration));
    }

    [Fact]
    public void Without_a_custom_handler_port_urls_are_left_alone()
    {
        Assert.Null(HostingExtensions.CustomHandlerUrl(new ConfigurationBuilder().Build()));
        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "http" }).Build();
        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT", Assert.Throws<InvalidOperationException>(() => HostingExtensions.CustomHandlerUrl(bad)).Message);
    }
}
