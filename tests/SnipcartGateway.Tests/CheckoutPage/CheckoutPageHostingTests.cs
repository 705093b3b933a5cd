using System.Net;

namespace SnipcartGateway.Tests.CheckoutPage;

/// <summary>How /checkout/ is served: redirect, files, and the security headers (the URL carries the token).</summary>
public sealed class CheckoutPageHostingTests(CheckoutGatewayFixture gateway) : IClassFixture<CheckoutGatewayFixture>
{
    private const string Csp =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; "
        + "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(Csp, Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task Page_is_html_with_security_headers_and_not_cached()
    {
        var response = await gateway.CreateClient().GetAsync("checkout/?provider=fakepay&mode=test&publicToken=abc");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("checkout.js", await response.Content.ReadAsStringAsync());
        AssertSecurityHeaders(response);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Index_html_is_served_with_the_same_headers()
    {
        var response = await gateway.CreateClient().GetAsync("checkout/index.html");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Checkout_without_slash_redirects_and_keeps_the_query_as_sent()
    {
        // Snipcart's extra "?" must survive the redirect untouched; the page copes with it.
        var response = await gateway.CreateClient(followRedirects: false).GetAsync("checkout?provider=fakepay&mode=test?publicToken=abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/checkout/?provider=fakepay&mode=test?publicToken=abc", response.Headers.Location?.OriginalString);
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Theory]
    [InlineData("checkout/checkout.js", "text/javascript")]
    [InlineData("checkout/i18n.js", "text/javascript")]
    [InlineData("checkout/checkout.css", "text/css")]
    [InlineData("checkout/icons/lock.svg", "image/svg+xml")]
    public async Task Assets_are_served_with_security_headers_and_a_short_cache(string path, string mediaType)
    {
        var response = await gateway.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        AssertSecurityHeaders(response);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Unknown_file_under_checkout_is_404_and_not_cached()
    {
        var response = await gateway.CreateClient().GetAsync("checkout/nope.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        AssertSecurityHeaders(response);
    }

    [Fact]
    public void Configured_api_origin_is_added_to_connect_src_only()
    {
        var csp = global::SnipcartGateway.Hosting.CheckoutPageHosting.ContentSecurityPolicy("https://gateway.example/api/");

        Assert.Contains("connect-src 'self' https://gateway.example;", csp);
        Assert.Equal(Csp, global::SnipcartGateway.Hosting.CheckoutPageHosting.ContentSecurityPolicy("javascript:alert(1)"));
    }
}
