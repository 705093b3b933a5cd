using System.Net;
using System.Text;
using System.Text.Json;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>Snipcart's payment-methods webhook, with every token and mode spelling its docs use.</summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class PaymentMethodsWebhookTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    private static string Invoice(string currency = "usd", string country = "US") =>
        $$"""{"currency":"{{currency}}","amount":409.29,"billingAddress":{"country":"{{country}}"},"items":[{"name":"Starry Night","unitPrice":409.29,"quantity":1,"type":"Physical","amount":409.29}]}""";

    private async Task<HttpResponseMessage> PostAsync(string body, string query = "")
    {
        using var client = _h.Gateway.CreateHttpClient();
        return await client.PostAsync("api/snipcart/payment-methods" + query, new StringContent(body, Encoding.UTF8, "application/json"));
    }

    [Theory]
    [InlineData("publicToken", "test")]
    [InlineData("PublicToken", "Test")]
    [InlineData("publicToken", "TEST")]
    public async Task Answers_the_methods_for_a_valid_token_whatever_its_casing(string tokenName, string mode)
    {
        var (_, token) = _h.NewSession();
        // The sandbox is shared with the other classes: count from here.
        var validations = _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate");
        var sessionReads = _h.State.ReceivedCount("/api/public/custom-payment-gateway/payment-session");

        var response = await PostAsync($$"""{"{{tokenName}}":"{{token}}","mode":"{{mode}}","invoice":{{Invoice()}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The shared stack enables both test-only providers, in registration order.
        var methods = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(["sandboxpay", "sandboxwidget"], methods.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("Sandbox Widget (test only)", methods[1].GetProperty("name").GetString());
        var method = methods[0];
        Assert.Equal("sandboxpay", method.GetProperty("id").GetString());
        Assert.Equal("Sandbox Pay (test only)", method.GetProperty("name").GetString());
        // Each provider's logo, from the gateway's own site (Snipcart shows it instead of the name).
        Assert.Equal($"{_h.Gateway.BaseAddress}checkout/icons/providers/sandboxpay.svg", method.GetProperty("iconUrl").GetString());
        Assert.Equal($"{_h.Gateway.BaseAddress}checkout/icons/providers/sandboxwidget.svg", methods[1].GetProperty("iconUrl").GetString());
        Assert.Equal($"{_h.Gateway.BaseAddress}checkout/?provider=sandboxpay&mode=test&sig={GatewayHarness.SigFor(new SnipcartGateway.Snipcart.SnipcartInvoice { Currency = "usd", Amount = 409.29m })}", method.GetProperty("checkoutUrl").GetString());
        // One upstream call: the token validation, nothing else.
        Assert.Equal(validations + 1, _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate"));
        Assert.Equal(sessionReads, _h.State.ReceivedCount("/api/public/custom-payment-gateway/payment-session"));
    }

    [Fact]
    public async Task Reads_the_token_from_the_query_string()
    {
        var (_, token) = _h.NewSession();
        var response = await PostAsync($$"""{"mode":"test","invoice":{{Invoice()}}}""", $"?publicToken={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("live")]
    [InlineData("Live")]
    public async Task Live_mode_offers_no_provider_without_live_credentials(string mode)
    {
        var (_, token) = _h.NewSession(mode: SandboxMode.Live);
        var response = await PostAsync($$"""{"publicToken":"{{token}}","mode":"{{mode}}","invoice":{{Invoice()}}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"mode":"test","invoice":{"currency":"usd","amount":1}}""", "missing_token")]
    [InlineData("""{"publicToken":"forged","mode":"test","invoice":{"currency":"usd","amount":1}}""", "invalid_token")]
    [InlineData("""{"publicToken":"","mode":"test"}""", "missing_token")]
    public async Task A_missing_or_unknown_token_is_401(string body, string code)
    {
        var response = await PostAsync(body);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{not json", "invalid_body")]
    [InlineData("""{"publicToken":"TOKEN","mode":"sandbox","invoice":{"currency":"usd"}}""", "invalid_mode")]
    [InlineData("""{"publicToken":"TOKEN","mode":"test"}""", "invalid_invoice")]
    [InlineData("""{"publicToken":"TOKEN","mode":"test","invoice":{"currency":"dollars"}}""", "invalid_invoice")]
    [InlineData("""{"publicToken":"TOKEN","mode":"test","invoice":{"currency":"usd","amount":"lots"}}""", "invalid_body")]
    public async Task A_bad_body_is_a_400_problem(string body, string code)
    {
        var (_, token) = _h.NewSession();
        var response = await PostAsync(body.Replace("TOKEN", token));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }
}
