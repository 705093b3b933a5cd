using System.Reflection;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>
/// Pins every function's name, route, verbs and access level: merchants have these URLs in their Snipcart
/// dashboards and provider consoles, and the deployed function names are what Azure shows and monitors.
/// </summary>
public sealed class FunctionCatalogTests
{
    /// <summary>Name → (route, verbs). Every HTTP function but support's is anonymous: callers authenticate by token, key
    /// or signature.</summary>
    private static readonly Dictionary<string, (string Route, string[] Methods)> Expected = new()
    {
        ["Health"] = ("api/health", ["get"]),
        ["PaymentMethods"] = ("api/snipcart/payment-methods", ["post"]),
        ["CheckoutSession"] = ("api/checkout/session", ["get", "options"]),
        ["CheckoutStore"] = ("api/checkout/store", ["get", "options"]),
        ["CheckoutPayments"] = ("api/checkout/payments", ["post", "options"]),
        ["CheckoutPaymentStatus"] = ("api/checkout/payments/{paymentRef}", ["get", "options"]),
        ["CheckoutPaymentCancel"] = ("api/checkout/payments/{paymentRef}/cancel", ["post", "options"]),
        ["CheckoutReturn"] = ("api/checkout/return/{paymentRef}", ["get"]),
        ["CheckoutCancel"] = ("api/checkout/cancel/{paymentRef}", ["get"]),
        ["ProviderNotifications"] = ("api/providers/{providerId}/notifications", ["post"]),
        ["SnipcartRefunds"] = ("api/snipcart/refunds/{paymentRef}", ["post"]),
        ["CheckoutPage"] = ("checkout/{*path}", ["get"]),
        ["SupportPage"] = ("support/{*path}", ["get"]),
        ["SupportPayment"] = ("api/support/payments/{key}", ["get"]),
        ["SupportAttention"] = ("api/support/attention", ["get"]),
        ["SupportActions"] = ("api/support/payments/{paymentRef}/actions", ["post"]),
    };

    /// <summary>The support API: behind a function or host key, checked by the Functions host.</summary>
    private static readonly HashSet<string> FunctionKeyLevel = ["SupportPayment", "SupportAttention", "SupportActions"];

    private static IEnumerable<(string Name, MethodInfo Method)> Functions() =>
        typeof(SnipcartGateway.Api.HealthApi).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Attribute: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(f => f.Attribute is not null)
            .Select(f => (f.Attribute!.Name, f.Method));

    [Fact]
    public void Every_http_function_keeps_its_route_verbs_and_access_level()
    {
        var http = Functions()
            .Select(f => (f.Name, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .ToDictionary(f => f.Name, f => f.Trigger!);

        Assert.Equal(Expected.Keys.Order(), http.Keys.Order());
        foreach (var (name, (route, methods)) in Expected)
        {
            var trigger = http[name];
            Assert.Equal(route, trigger.Route);
            Assert.Equal(methods, trigger.Methods!.Select(m => m.ToLowerInvariant()));
            Assert.Equal(FunctionKeyLevel.Contains(name) ? AuthorizationLevel.Function : AuthorizationLevel.Anonymous, trigger.AuthLevel);
        }
    }

    [Fact]
    public void Reconcile_is_the_only_timer_and_carries_the_default_schedule()
    {
        var timers = Functions()
            .Select(f => (f.Name, Trigger: f.Method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).SingleOrDefault(a => a is not null)))
            .Where(f => f.Trigger is not null)
            .ToList();

        var (name, trigger) = Assert.Single(timers);
        Assert.Equal("Reconcile", name);
        Assert.Equal("0 * * * * *", trigger!.Schedule);
    }

    [Fact]
    public void Host_json_is_an_isolated_worker_host_json_that_keeps_todays_urls()
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("host.json")));
        var root = hostJson.RootElement;

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.False(root.TryGetProperty("customHandler", out _), "an isolated worker has no customHandler section");
        Assert.False(root.TryGetProperty("extensionBundle", out _), "HTTP and timer triggers need no extension bundle");
        Assert.Equal("", root.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Local_settings_sample_names_the_isolated_worker_runtime()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("local.settings.sample.json")));

        Assert.Equal("dotnet-isolated", sample.RootElement.GetProperty("Values").GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
    }
}
