using System.Net;
using System.Text.Json;
using SnipcartGateway.Tests.CheckoutPage.Fakes;

namespace SnipcartGateway.Tests.CheckoutPage;

/// <summary>GET /api/checkout/session over real HTTP: the status codes and the JSON the page relies on.</summary>
public sealed class CheckoutSessionApiTests(CheckoutGatewayFixture gateway) : IClassFixture<CheckoutGatewayFixture>
{
    private readonly HttpClient _http = gateway.CreateClient();

    private Task<HttpResponseMessage> GetSession(string? token, string? provider = FakeProviders.Id, string? mode = "test")
    {
        var query = new List<string>();
        if (token is not null) { query.Add("publicToken=" + Uri.EscapeDataString(token)); }
        if (provider is not null) { query.Add("provider=" + Uri.EscapeDataString(provider)); }
        if (mode is not null) { query.Add("mode=" + Uri.EscapeDataString(mode)); }
        return _http.GetAsync("api/checkout/session?" + string.Join('&', query));
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json(response);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.Equal(code, body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Valid_token_returns_the_session_view_with_totals_by_item_type()
    {
        var token = gateway.Snipcart.Add(FakeSessions.Standard());

        var response = await GetSession(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await Json(response);
        Assert.Equal("b2eb036a-842ee242-0d2d-4fad-bc9a-de16411fc6d1", body.GetProperty("sessionId").GetString());
        Assert.Equal("test", body.GetProperty("mode").GetString());
        Assert.Equal("en", body.GetProperty("language").GetString());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
        Assert.Equal(125.02m, body.GetProperty("amount").GetDecimal());
        Assert.Equal("john.doe@example.com", body.GetProperty("email").GetString());
        Assert.Equal(FakeSessions.BackUrl, body.GetProperty("backUrl").GetString());
        Assert.Equal(FakeProviders.Id, body.GetProperty("provider").GetProperty("id").GetString());
        Assert.Equal(FakeProviders.Name, body.GetProperty("provider").GetProperty("name").GetString());

        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        Assert.Equal("Rosy-Fingered Dawn at Louse Point", items[0].GetProperty("name").GetString());
        Assert.Equal("Physical", items[0].GetProperty("type").GetString());
        Assert.Equal(2m, items[0].GetProperty("quantity").GetDecimal());
        Assert.Equal(49.95m, items[0].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(99.90m, items[0].GetProperty("amount").GetDecimal());

        var totals = body.GetProperty("totals");
        Assert.Equal(111.90m, totals.GetProperty("items").GetDecimal());
        Assert.Equal(-10.00m, totals.GetProperty("discounts").GetDecimal());
        Assert.Equal(8.12m, totals.GetProperty("taxes").GetDecimal());
        Assert.Equal(15.00m, totals.GetProperty("shipping").GetDecimal());
        Assert.Equal(125.02m, totals.GetProperty("total").GetDecimal());

        var billing = body.GetProperty("billingAddress");
        Assert.Equal("John", billing.GetProperty("name").GetString());
        Assert.Equal("US", billing.GetProperty("country").GetString());
        Assert.Equal("9 Harbour Road", body.GetProperty("shippingAddress").GetProperty("streetAndNumber").GetString());
    }

    [Fact]
    public async Task Fetching_the_session_is_the_token_check_so_validate_is_not_called()
    {
        var token = gateway.Snipcart.Add(FakeSessions.Standard());
        var before = gateway.Snipcart.ValidateCalls;

        var response = await GetSession(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, gateway.Snipcart.ValidateCalls);
    }

    [Fact]
    public async Task Mode_and_provider_are_read_without_case()
    {
        var token = gateway.Snipcart.Add(FakeSessions.Standard());

        var response = await GetSession(token, provider: "FAKEPAY", mode: "Live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("live", (await Json(response)).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Back_url_that_is_not_http_is_dropped()
    {
        var token = gateway.Snipcart.Add(FakeSessions.Standard().WithBackUrl("javascript:alert(1)"));

        var body = await Json(await GetSession(token));

        Assert.Equal(JsonValueKind.Null, body.GetProperty("backUrl").ValueKind);
    }

    [Fact]
    public async Task Missing_token_is_400() =>
        await AssertProblem(await GetSession(null), HttpStatusCode.BadRequest, "missing_token");

    [Theory]
    [InlineData(null)]
    [InlineData("production")]
    [InlineData("test?publicToken=abc")]
    public async Task Bad_or_missing_mode_is_400(string? mode) =>
        await AssertProblem(await GetSession("tok_any", mode: mode), HttpStatusCode.BadRequest, "invalid_mode");

    [Fact]
    public async Task Missing_provider_is_400() =>
        await AssertProblem(await GetSession("tok_any", provider: null), HttpStatusCode.BadRequest, "missing_provider");

    [Fact]
    public async Task Unknown_or_expired_token_is_401_invalid_token() =>
        await AssertProblem(await GetSession("tok_expired"), HttpStatusCode.Unauthorized, "invalid_token");

    [Fact]
    public async Task Snipcart_failure_is_502() =>
        await AssertProblem(await GetSession(gateway.Snipcart.AddFailing()), HttpStatusCode.BadGateway, "snipcart_unavailable");

    [Fact]
    public async Task Unknown_provider_is_422_provider_unavailable()
    {
        var token = gateway.Snipcart.Add(FakeSessions.Standard());

        await AssertProblem(await GetSession(token, provider: "nopay"), HttpStatusCode.UnprocessableEntity, "provider_unavailable");
    }

    [Fact]
    public async Task Provider_that_does_not_support_the_invoice_is_422_with_the_back_url()
    {
        var token = gateway.Snipcart.Add(FakeSessions.Standard().WithBillingCountry(FakeProviders.UnsupportedCountry));

        var response = await GetSession(token);

        await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "provider_unavailable");
        Assert.Equal(FakeSessions.BackUrl, (await Json(response)).GetProperty("backUrl").GetString());
    }
}
