using System.Net;
using System.Text.Json;
using SnipcartGateway.Hosting;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.CheckoutPage;

/// <summary>
/// How the CheckoutPage function serves /checkout/ under the real Functions host: redirect, files, content types
/// and the security headers (the page's URL carries Snipcart's public token).
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CheckoutPageHostingTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    /// <summary>A page whose link names no widget provider (a redirect provider's, the status page, the page's own
    /// files) gets the strict policy, although the shared stack enables two widget providers (CheckoutPageCsp).</summary>
    private string Csp => ExpectedCsp(null);

    private string WidgetOrigin => _h.Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority);

    // The shared stack sets Branding__LogoUrl to a logo on the sandbox: its origin joins img-src.
    private string ExpectedCsp(string? widgetOrigin) => widgetOrigin is null
        ? $"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' {WidgetOrigin} data: https:; connect-src 'self'; "
            + "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        : $"default-src 'none'; script-src 'self' {widgetOrigin}; style-src 'self' 'unsafe-inline' {widgetOrigin}; "
            + $"img-src 'self' {WidgetOrigin} data: https: {widgetOrigin}; connect-src 'self' {widgetOrigin}; "
            + $"font-src 'self' {widgetOrigin}; frame-src {widgetOrigin} https:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private async Task<HttpResponseMessage> GetAsync(string path)
    {
        using var client = _h.Gateway.CreateHttpClient();
        return await client.GetAsync(path);
    }

    private void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(Csp, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : null;

    [Fact]
    public async Task Page_is_html_with_security_headers_and_not_cached()
    {
        var response = await GetAsync("checkout/?provider=sandboxpay&mode=test&publicToken=abc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("checkout.js", await response.Content.ReadAsStringAsync());
        AssertSecurityHeaders(response);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Index_html_is_served_with_the_same_headers()
    {
        var response = await GetAsync("checkout/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Theory]
    [InlineData("checkout?provider=sandboxpay&mode=test&publicToken=abc", "/checkout/?provider=sandboxpay&mode=test&publicToken=abc")]
    // Snipcart's extra "?" must survive the redirect untouched; the page copes with it.
    [InlineData("checkout?provider=sandboxpay&mode=test?publicToken=abc", "/checkout/?provider=sandboxpay&mode=test?publicToken=abc")]
    [InlineData("checkout", "/checkout/")]
    public async Task Checkout_without_slash_redirects_and_keeps_the_query_as_sent(string path, string location)
    {
        var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Theory]
    [InlineData("checkout/checkout.js", "text/javascript")]
    [InlineData("checkout/i18n.js", "text/javascript")]
    [InlineData("checkout/checkout.css", "text/css")]
    [InlineData("checkout/icons/lock.svg", "image/svg+xml")]
    public async Task Assets_are_served_with_their_content_type_security_headers_and_a_short_cache(string path, string mediaType)
    {
        var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        AssertSecurityHeaders(response);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Unknown_file_under_checkout_is_a_404_problem_and_not_cached()
    {
        var response = await GetAsync("checkout/nope.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not_found", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        AssertSecurityHeaders(response);
    }

    [Theory]
    // host.json and functions.metadata sit two folders above wwwroot/checkout in the published app.
    [InlineData("checkout/..%2F..%2Fhost.json")]
    [InlineData("checkout/%2E%2E/%2E%2E/host.json")]
    [InlineData("checkout/..%5C..%5Chost.json")]
    [InlineData("checkout/%2Fetc%2Fpasswd")]
    [InlineData("checkout/icons/..%2F..%2F..%2Ffunctions.metadata")]
    public async Task Paths_never_leave_the_page_folder(string path)
    {
        var response = await GetAsync(path);

        // The host may refuse the path itself (400/404) or pass it on to the function (404 problem): never a file.
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("routePrefix", body);
        Assert.DoesNotContain("scriptFile", body);
        Assert.DoesNotContain("root:", body);
    }

    [Fact]
    public async Task Page_csp_admits_a_widget_providers_origins_only_on_a_page_whose_link_names_it()
    {
        // Sandbox Widget's and SmartPay's simulated SDKs are both served by the sandbox: one origin.
        foreach (var provider in new[] { "sandboxwidget", "jpmsmartpay", "SandboxWidget" })
        {
            var widgetPage = await GetAsync($"checkout/?provider={provider}&mode=test&sig=x?publicToken=abc");
            Assert.Equal(ExpectedCsp(WidgetOrigin), Header(widgetPage, "Content-Security-Policy"));
        }
        // A redirect provider's page, the status page, a link naming no provider or an unknown one: strict.
        foreach (var path in new[] { "checkout/?provider=sandboxpay&mode=test&publicToken=abc", "checkout/?provider=snapplify&mode=test",
            "checkout/?paymentRef=pay_abc", "checkout/", "checkout/?provider=nope&mode=test", "checkout/?mode=test&publicToken=provider%3Dsandboxwidget" })
        {
            var page = await GetAsync(path);
            Assert.Equal(ExpectedCsp(null), Header(page, "Content-Security-Policy"));
            Assert.DoesNotContain("'unsafe-inline'", Header(page, "Content-Security-Policy"));
            Assert.DoesNotContain("frame-src", Header(page, "Content-Security-Policy"));
        }
        // API answers are not the page: no CSP, widget or not.
        var api = await GetAsync("api/health");
        Assert.Null(Header(api, "Content-Security-Policy"));

        // The same package with the widget providers off (SmartPay's simulated SDK is served from the same sandbox
        // origin): back to the page's own origin only.
        var gateway = await _h.StartGatewayAsync(settings: new Dictionary<string, string?>
        {
            ["Providers:SandboxWidget:Enabled"] = "false",
            ["Providers:JpmSmartPay:Enabled"] = "false",
        });
        try
        {
            using var client = gateway.CreateHttpClient();
            var withoutWidget = await client.GetAsync("checkout/?provider=sandboxwidget&mode=test");
            Assert.Equal(HttpStatusCode.OK, withoutWidget.StatusCode);
            Assert.Equal(ExpectedCsp(null), Header(withoutWidget, "Content-Security-Policy"));
        }
        finally
        {
            await _h.StopGatewayAsync(gateway);
        }
    }

    [Theory]
    [InlineData("checkout/widgets/sandboxwidget.js")]
    [InlineData("checkout/widgets/jpmsmartpay.js")]
    public async Task Widget_renderers_are_served_like_the_page_scripts(string path)
    {
        var response = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("GatewayWidgets", await response.Content.ReadAsStringAsync());
        AssertSecurityHeaders(response);
    }
}
