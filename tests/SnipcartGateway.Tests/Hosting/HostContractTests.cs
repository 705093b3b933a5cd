using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>
/// The published package under the real Functions host: what the host sees of the app (its functions, their
/// access level, the timer), and what every HTTP function shares (headers, problems, CORS).
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class HostContractTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    private static readonly string[] HttpFunctions =
        ["Health", "PaymentMethods", "CheckoutSession", "CheckoutStore", "CheckoutPayments", "CheckoutPaymentStatus", "CheckoutPaymentCancel", "CheckoutReturn", "CheckoutCancel", "ProviderNotifications", "SnipcartRefunds", "CheckoutPage", "SupportPage"];

    /// <summary>The support API: the host checks a function or host key before the worker sees the request.</summary>
    private static readonly string[] KeyedHttpFunctions = ["SupportPayment", "SupportAttention", "SupportActions"];

    [Fact]
    public async Task The_host_runs_every_function_of_the_package_with_its_http_access_level()
    {
        using var client = _h.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/functions");
        request.Headers.Add("x-functions-key", _h.Gateway.Host.MasterKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var functions = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var byName = functions.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.Clone());
        Assert.Equal(HttpFunctions.Concat(KeyedHttpFunctions).Append("Reconcile").Order(), byName.Keys.Order());
        foreach (var name in HttpFunctions.Concat(KeyedHttpFunctions))
        {
            var trigger = byName[name].GetProperty("config").GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(KeyedHttpFunctions.Contains(name) ? "function" : "anonymous", trigger.GetProperty("authLevel").GetString(), ignoreCase: true);
        }
    }

    [Fact]
    public async Task The_reconcile_timer_runs_through_the_admin_api_and_succeeds()
    {
        Assert.True(await _h.Gateway.RunReconcileAsync(), _h.Gateway.Output);
    }

    [Fact]
    public async Task The_published_folder_is_what_the_host_needs_and_nothing_of_a_custom_handler()
    {
        var folder = await FunctionAppPackage.FolderAsync();

        Assert.True(File.Exists(Path.Combine(folder, "host.json")));
        Assert.True(File.Exists(Path.Combine(folder, "SnipcartGateway.dll")));
        Assert.True(File.Exists(Path.Combine(folder, "wwwroot", "checkout", "index.html")));
        Assert.True(File.Exists(Path.Combine(folder, "wwwroot", "support", "index.html")));
        using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "worker.config.json")));
        Assert.Equal("SnipcartGateway.dll", worker.RootElement.GetProperty("description").GetProperty("defaultWorkerPath").GetString());
        Assert.False(Directory.Exists(Path.Combine(folder, "handler")));
        Assert.Empty(Directory.GetFiles(folder, "function.json", SearchOption.AllDirectories));
        Assert.DoesNotContain("customHandler", File.ReadAllText(Path.Combine(folder, "host.json")));
    }

    [Fact]
    public async Task Api_answers_carry_nosniff_and_no_store()
    {
        using var client = _h.Gateway.CreateHttpClient();
        foreach (var response in new[]
                 {
                     await client.GetAsync("api/health"),
                     await client.GetAsync("api/checkout/payments/pay_doesnotexist0000000000000"),
                     await client.PostAsync("api/snipcart/payment-methods", new StringContent("{", Encoding.UTF8, "application/json")),
                 })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri} is cacheable");
        }
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[1,2]")]
    [InlineData("{\"publicToken\": 42}")]
    public async Task Unreadable_json_is_a_400_problem_not_a_500(string body)
    {
        using var client = _h.Gateway.CreateHttpClient();
        var response = await client.PostAsync("api/checkout/payments", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_bogus_charset_is_read_as_json_and_never_a_500()
    {
        using var client = _h.Gateway.CreateHttpClient();
        var content = new StringContent("{\"publicToken\":\"x\",\"provider\":\"sandboxpay\",\"mode\":\"test\",\"sig\":\"nope\"}");
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=bogus");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("application/json; charset=bogus");

        var response = await client.PostAsync("api/checkout/payments", content);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cors_answers_preflights_for_the_configured_origin_only()
    {
        var gateway = await _h.StartGatewayAsync(settings: new Dictionary<string, string?> { ["Cors:AllowedOrigins"] = "https://shop.example" });
        try
        {
            using var client = gateway.CreateHttpClient();
            using var allowed = new HttpRequestMessage(HttpMethod.Options, "api/checkout/payments");
            allowed.Headers.Add("Origin", "https://shop.example");
            allowed.Headers.Add("Access-Control-Request-Method", "POST");
            allowed.Headers.Add("Access-Control-Request-Headers", "content-type");
            var preflight = await client.SendAsync(allowed);

            Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
            Assert.Equal("https://shop.example", preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("POST", preflight.Headers.GetValues("Access-Control-Allow-Methods").Single());

            using var other = new HttpRequestMessage(HttpMethod.Get, "api/health");
            other.Headers.Add("Origin", "https://evil.example");
            var refused = await client.SendAsync(other);
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

            using var simple = new HttpRequestMessage(HttpMethod.Get, "api/health");
            simple.Headers.Add("Origin", "https://shop.example");
            var answered = await client.SendAsync(simple);
            Assert.Equal("https://shop.example", answered.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }
        finally
        {
            await _h.StopGatewayAsync(gateway);
        }
    }

    [Fact]
    public async Task The_reconcile_schedule_setting_is_the_timers_schedule_and_no_provider_is_on_by_default()
    {
        // Every 2 s, and none of the providers' settings: the package as a merchant would deploy it, before they
        // enable the providers they have credentials for.
        var settings = _h.GatewaySettings(0)
            .Where(s => !s.Key.StartsWith("Providers:", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value);
        settings["Reconcile:Schedule"] = "*/2 * * * * *";
        var port = AzuriteFixture.FreeTcpPort();
        settings["Gateway:PublicBaseUrl"] = $"http://127.0.0.1:{port}";
        await using var host = await FunctionsHostProcess.StartAsync(await FunctionAppPackage.FolderAsync(), port, settings);

        await host.WaitForLineAsync("Executing 'Functions.Reconcile' (Reason='Timer fired", TimeSpan.FromSeconds(30));

        var (_, token) = _h.NewSession();
        using var client = host.CreateHttpClient();
        var methods = await client.PostAsJsonAsync("api/snipcart/payment-methods", new
        {
            publicToken = token,
            mode = "test",
            invoice = new { currency = "usd", amount = 10m, billingAddress = new { country = "US" } },
        });
        methods.EnsureSuccessStatusCode();
        Assert.Equal("[]", (await methods.Content.ReadAsStringAsync()).Trim());
    }
}
