using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>The checkout page's CSP: its own origin only, plus the API origin for connect-src, plus, while a widget
/// provider is enabled, exactly its origins wherever an SDK needs them, inline styles and https frames.</summary>
public sealed class CheckoutPageCspTests
{
    private const string Strict =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; connect-src 'self'; "
        + "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Fact]
    public void Without_widgets_or_api_origin_the_page_may_use_only_its_own_origin()
    {
        Assert.Equal(Strict, CheckoutPageCsp.Build(null, []));
    }

    [Fact]
    public void Configured_api_origin_is_added_to_connect_src_only()
    {
        var csp = CheckoutPageCsp.Build("https://gateway.example/api/", []);

        Assert.Equal(Strict.Replace("connect-src 'self';", "connect-src 'self' https://gateway.example;"), csp);
        Assert.Equal(Strict, CheckoutPageCsp.Build("javascript:alert(1)", []));
    }

    [Fact]
    public void Widget_origins_are_admitted_for_scripts_styles_images_fonts_calls_and_frames_with_inline_styles_and_https_frames()
    {
        var csp = CheckoutPageCsp.Build("https://gateway.example", ["https://widget.example", "http://127.0.0.1:7080"]);

        Assert.Equal(
            "default-src 'none'; script-src 'self' https://widget.example http://127.0.0.1:7080; "
            + "style-src 'self' 'unsafe-inline' https://widget.example http://127.0.0.1:7080; "
            + "img-src 'self' data: https: https://widget.example http://127.0.0.1:7080; "
            + "connect-src 'self' https://gateway.example https://widget.example http://127.0.0.1:7080; "
            + "font-src 'self' https://widget.example http://127.0.0.1:7080; frame-src https://widget.example http://127.0.0.1:7080 https:; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            csp);
        Assert.DoesNotContain("'unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
    }

    [Fact]
    public void Widget_urls_become_origins_and_repeats_appear_once()
    {
        var csp = CheckoutPageCsp.Build(null, ["https://widget.example/sdk/smp-bundle.js?v=2", "HTTPS://WIDGET.example", "https://widget.example:443"]);

        Assert.Contains("script-src 'self' https://widget.example;", csp);
        Assert.Contains("frame-src https://widget.example https:;", csp);
    }

    [Theory]
    [InlineData("'unsafe-inline'")]
    [InlineData("*")]
    [InlineData("https:")]
    [InlineData("data:text/javascript,alert(1)")]
    [InlineData("javascript:alert(1)")]
    [InlineData("widget.example")]
    [InlineData("https://widget.example; script-src *")]
    [InlineData("")]
    public void Anything_that_is_not_an_http_origin_never_reaches_the_policy(string origin)
    {
        Assert.Equal(Strict, CheckoutPageCsp.Build(null, [origin]));
    }

    [Theory]
    [InlineData("?provider=jpmsmartpay&mode=test&sig=abc&publicToken=t", "jpmsmartpay")]
    [InlineData("?mode=test&sig=abc?provider=SandboxWidget", "SandboxWidget")]
    [InlineData("?provider=sandbox%77idget", "sandboxwidget")]
    [InlineData("?paymentRef=pay_1", null)]
    [InlineData("?provider=&mode=test", null)]
    [InlineData("?publicToken=provider%3Djpmsmartpay", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_page_is_read_as_the_provider_its_link_names(string? query, string? provider)
    {
        Assert.Equal(provider, CheckoutPageCsp.LinkProvider(query));
    }
}
