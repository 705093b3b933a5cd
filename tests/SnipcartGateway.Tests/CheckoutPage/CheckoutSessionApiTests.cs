using System.Net;
using System.Text.Json;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.CheckoutPage;

/// <summary>
/// GET /api/checkout/session under the Functions host, with payment sessions from the Snipcart simulator and
/// Sandbox Pay as the provider: the status codes and the JSON the checkout page relies on.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CheckoutSessionApiTests(GatewayStackFixture stack)
{
    private const string SessionPath = "/api/public/custom-payment-gateway/payment-session";
    private const string ValidatePath = "/api/public/custom-payment-gateway/validate";

    private readonly GatewayHarness _h = stack.Harness;

    /// <summary>The page's session call with the link's signature, as the payment-methods webhook made it.</summary>
    private Task<HttpResponseMessage> GetSession(string? token, string? provider = "sandboxpay", string? mode = "test", GatewayHost? gateway = null, string? sig = null) =>
        GetSession(gateway ?? _h.Gateway, token, provider, mode, sig ?? SigOf(token, provider, mode));

    private string? SigOf(string? token, string? provider, string? mode) =>
        token is null || provider is null ? null : _h.Sig(provider.ToLowerInvariant(), mode?.ToLowerInvariant() == "live" ? "live" : "test", token);

    private static async Task<HttpResponseMessage> GetSession(GatewayHost gateway, string? token, string? provider, string? mode, string? sig)
    {
        var query = new List<string>();
        if (token is not null) { query.Add("publicToken=" + Uri.EscapeDataString(token)); }
        if (provider is not null) { query.Add("provider=" + Uri.EscapeDataString(provider)); }
        if (mode is not null) { query.Add("mode=" + Uri.EscapeDataString(mode)); }
        if (sig is not null) { query.Add("sig=" + Uri.EscapeDataString(sig)); }
        using var client = gateway.CreateHttpClient();
        return await client.GetAsync("api/checkout/session?" + string.Join('&', query));
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

    /// <summary>2 × 49.95 book + 12.00 e-book, −10.00 discount, 8.12 tax, 15.00 shipping: 125.02 USD.</summary>
    internal static SandboxInvoice StandardInvoice(string currency = "usd") => new()
    {
        Currency = currency,
        Language = "en",
        Email = "john.doe@example.com",
        InvoiceNumber = "SNIP-" + Random.Shared.Next(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Amount = 125.02m,
        BillingAddress = new SandboxAddress { Name = "John Doe", StreetAndNumber = "123 Street", PostalCode = "12345", City = "Cupertino", Region = "CA", Country = "US" },
        ShippingAddress = new SandboxAddress { Name = "Jane Doe", StreetAndNumber = "9 Harbour Road", PostalCode = "90210", City = "Beverly Hills", Region = "CA", Country = "US" },
        Items =
        [
            new SandboxItem("Rosy-Fingered Dawn at Louse Point", 49.95m, 2, "Physical", 0, 99.90m),
            new SandboxItem("Field Notes (e-book)", 12.00m, 1, "Digital", 0, 12.00m),
            new SandboxItem("SUMMER10", -10.00m, 1, "Discount", 0, -10.00m),
            new SandboxItem("Sales tax", 8.12m, 1, "Tax", 0, 8.12m),
            new SandboxItem("Express shipping", 15.00m, 1, "Shipping", 0, 15.00m),
        ],
    };

    private (SandboxSession Session, string Token) NewSession(SandboxInvoice? invoice = null, SandboxMode mode = SandboxMode.Test)
    {
        var session = _h.State.CreateSession(mode, invoice ?? StandardInvoice());
        return (session, _h.State.MintToken(session.Id));
    }

    [Fact]
    public async Task Valid_token_returns_the_session_view_with_totals_by_item_type()
    {
        var (session, token) = NewSession();

        var response = await GetSession(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = await Json(response);
        Assert.Equal(session.Id, body.GetProperty("sessionId").GetString());
        Assert.Equal("test", body.GetProperty("mode").GetString());
        Assert.Equal("en", body.GetProperty("language").GetString());
        Assert.Equal("USD", body.GetProperty("currency").GetString());
        Assert.Equal(125.02m, body.GetProperty("amount").GetDecimal());
        Assert.Equal("john.doe@example.com", body.GetProperty("email").GetString());
        Assert.Equal(session.PaymentAuthorizationRedirectUrl, body.GetProperty("backUrl").GetString());
        Assert.Equal("sandboxpay", body.GetProperty("provider").GetProperty("id").GetString());
        Assert.Equal("Sandbox Pay (test only)", body.GetProperty("provider").GetProperty("name").GetString());

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
        Assert.Equal("John Doe", billing.GetProperty("name").GetString());
        Assert.Equal("US", billing.GetProperty("country").GetString());
        Assert.Equal("9 Harbour Road", body.GetProperty("shippingAddress").GetProperty("streetAndNumber").GetString());
    }

    [Fact]
    public async Task Fetching_the_session_is_the_token_check_so_validate_is_not_called()
    {
        var (_, token) = NewSession();
        var validations = _h.State.ReceivedCount(ValidatePath);
        var fetches = _h.State.ReceivedCount(SessionPath);

        var response = await GetSession(token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(validations, _h.State.ReceivedCount(ValidatePath));
        Assert.Equal(fetches + 1, _h.State.ReceivedCount(SessionPath));
    }

    [Fact]
    public async Task Mode_and_provider_are_read_without_case()
    {
        var (_, token) = NewSession();

        var response = await GetSession(token, provider: "SANDBOXPAY", mode: "Test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("test", (await Json(response)).GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Missing_token_is_400() =>
        await AssertProblem(await GetSession(null), HttpStatusCode.BadRequest, "missing_token");

    [Theory]
    [InlineData(null)]
    [InlineData("production")]
    [InlineData("test?publicToken=abc")]
    public async Task Bad_or_missing_mode_is_400(string? mode) =>
        await AssertProblem(await GetSession(NewSession().Token, mode: mode), HttpStatusCode.BadRequest, "invalid_mode");

    [Fact]
    public async Task Missing_provider_is_400() =>
        await AssertProblem(await GetSession(NewSession().Token, provider: null), HttpStatusCode.BadRequest, "missing_provider");

    [Fact]
    public async Task Unknown_token_is_401_invalid_token() =>
        await AssertProblem(await GetSession("tok_unknown_" + Guid.NewGuid().ToString("N")), HttpStatusCode.Unauthorized, "invalid_token");

    [Fact]
    public async Task Expired_token_is_401_invalid_token()
    {
        var (_, token) = NewSession();
        Assert.Equal(HttpStatusCode.OK, (await GetSession(token)).StatusCode);
        Assert.True(_h.State.ExpireToken(token));

        await AssertProblem(await GetSession(token), HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Snipcart_failure_is_502()
    {
        var (_, token) = NewSession();
        var fetches = _h.State.ReceivedCount(SessionPath);
        // The first try and the client's three retries of a GET (Snipcart:RetryCount defaults to 3).
        _h.State.FailNext(SimulatedEndpoint.PaymentSession, 503, times: 4);

        await AssertProblem(await GetSession(token), HttpStatusCode.BadGateway, "snipcart_unavailable");

        Assert.Equal(fetches + 4, _h.State.ReceivedCount(SessionPath));
        // Every injected failure was used up: the same token works once Snipcart is back.
        Assert.Equal(HttpStatusCode.OK, (await GetSession(token)).StatusCode);
    }

    [Fact]
    public async Task Unknown_provider_is_422_provider_unavailable_without_asking_snipcart()
    {
        var (_, token) = NewSession();
        var fetches = _h.State.ReceivedCount(SessionPath);

        var response = await GetSession(token, provider: "nopay");

        await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "provider_unavailable");
        Assert.False((await Json(response)).TryGetProperty("backUrl", out _));
        Assert.Equal(fetches, _h.State.ReceivedCount(SessionPath));
    }

    [Fact]
    public async Task Provider_without_live_credentials_is_422_with_the_back_url()
    {
        // The stack gives Sandbox Pay test keys only: it does not offer itself in live mode.
        var (session, token) = NewSession(mode: SandboxMode.Live);

        var response = await GetSession(token, mode: "live");

        await AssertProblem(response, HttpStatusCode.UnprocessableEntity, "provider_unavailable");
        Assert.Equal(session.PaymentAuthorizationRedirectUrl, (await Json(response)).GetProperty("backUrl").GetString());
    }

    [Fact]
    public async Task Currency_the_provider_does_not_offer_is_422_with_the_back_url()
    {
        var port = AzuriteFixture.FreeTcpPort();
        var eurOnly = await _h.StartGatewayAsync(port, new Dictionary<string, string?> { ["Providers:SandboxPay:Currencies"] = "EUR" });
        try
        {
            var (session, usdToken) = NewSession(StandardInvoice("usd"));
            var (_, eurToken) = NewSession(StandardInvoice("eur"));

            var refused = await GetSession(eurOnly, usdToken, "sandboxpay", "test", SigOf(usdToken, "sandboxpay", "test"));
            var accepted = await GetSession(eurOnly, eurToken, "sandboxpay", "test", SigOf(eurToken, "sandboxpay", "test"));

            await AssertProblem(refused, HttpStatusCode.UnprocessableEntity, "provider_unavailable");
            Assert.Equal(session.PaymentAuthorizationRedirectUrl, (await Json(refused)).GetProperty("backUrl").GetString());
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal("EUR", (await Json(accepted)).GetProperty("currency").GetString());
        }
        finally
        {
            await _h.StopGatewayAsync(eurOnly);
        }
    }

    [Fact]
    public async Task A_link_whose_signature_does_not_fit_is_refused_at_load_as_on_pay()
    {
        var (session, token) = NewSession();
        var (_, otherToken) = NewSession(StandardInvoice("eur"));

        var foreign = await GetSession(token, sig: SigOf(otherToken, "sandboxpay", "test"));
        var otherProvider = await GetSession(token, sig: SigOf(token, "sandboxwidget", "test"));
        var missing = await GetSession(_h.Gateway, token, "sandboxpay", "test", sig: null);

        foreach (var refused in new[] { foreign, otherProvider, missing })
        {
            await AssertProblem(refused, HttpStatusCode.Forbidden, "invalid_checkout_link");
            // The page offers the way back to the store's payment step, and still names the order.
            Assert.Equal(session.PaymentAuthorizationRedirectUrl, (await Json(refused)).GetProperty("backUrl").GetString());
            Assert.Equal(session.Invoice.InvoiceNumber, (await Json(refused)).GetProperty("orderNumber").GetString());
        }
    }

    [Fact]
    public async Task The_session_says_payable_then_in_progress_then_paid_with_the_payment_and_the_orders_link()
    {
        var (session, token) = NewSession();

        var payable = await Json(await GetSession(token));
        Assert.Equal("payable", payable.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, payable.GetProperty("paymentRef").ValueKind);

        var (paymentRef, redirect) = await _h.StartPaymentAsync(token);
        var inProgress = await Json(await GetSession(token));
        Assert.Equal("in_progress", inProgress.GetProperty("state").GetString());
        Assert.Equal(paymentRef, inProgress.GetProperty("paymentRef").GetString());
        Assert.Equal(redirect.OriginalString, inProgress.GetProperty("payment").GetProperty("continueUrl").GetString());
        Assert.Equal(JsonValueKind.Null, inProgress.GetProperty("returnUrl").ValueKind);

        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        var back = await _h.ReturnAsync(paymentRef);
        var paid = await Json(await GetSession(token));
        Assert.Equal("paid", paid.GetProperty("state").GetString());
        Assert.Equal(paymentRef, paid.GetProperty("paymentRef").GetString());
        Assert.Equal(back.Headers.Location!.ToString(), paid.GetProperty("returnUrl").GetString());
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}").ToString(), paid.GetProperty("returnUrl").GetString());
    }

    [Fact]
    public async Task The_session_and_the_store_call_carry_the_merchants_branding_from_the_settings()
    {
        var (_, token) = NewSession();
        using var client = _h.Gateway.CreateHttpClient();

        var fromSession = (await Json(await GetSession(token))).GetProperty("store");
        var alone = await Json(await client.GetAsync("api/checkout/store"));

        foreach (var store in new[] { fromSession, alone })
        {
            Assert.Equal(GatewayHarness.StoreName, store.GetProperty("name").GetString());
            Assert.Equal(new Uri(_h.Sandbox.BaseAddress, "store-logo.svg").ToString(), store.GetProperty("logoUrl").GetString());
            Assert.Equal(new Uri(_h.Sandbox.BaseAddress, "store/terms").ToString(), store.GetProperty("termsUrl").GetString());
            Assert.Equal(new Uri(_h.Sandbox.BaseAddress, "store/privacy").ToString(), store.GetProperty("privacyUrl").GetString());
            Assert.Equal(new Uri(_h.Sandbox.BaseAddress, "store/help").ToString(), store.GetProperty("supportUrl").GetString());
            Assert.Equal(GatewayHarness.StoreSupportEmail, store.GetProperty("supportEmail").GetString());
            Assert.Equal(GatewayHarness.StoreAccentColor, store.GetProperty("accentColor").GetString());
            Assert.Equal(_h.Sandbox.BaseAddress.ToString(), store.GetProperty("url").GetString());
        }
    }

    [Fact]
    public async Task The_session_names_the_order_by_its_invoice_number_and_the_provider_with_its_logo_from_the_gateway()
    {
        var (session, token) = NewSession();

        var body = await Json(await GetSession(token));

        Assert.Equal(session.Invoice.InvoiceNumber, body.GetProperty("orderNumber").GetString());
        var iconUrl = body.GetProperty("provider").GetProperty("iconUrl").GetString()!;
        Assert.Equal($"{_h.Gateway.BaseAddress}checkout/icons/providers/sandboxpay.svg", iconUrl);
        // Served by the gateway itself (the page's CSP admits 'self' only for it), as an image.
        using var client = _h.Gateway.CreateHttpClient();
        var icon = await client.GetAsync(iconUrl);
        Assert.Equal(HttpStatusCode.OK, icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);

        // A session without an invoice number: none is made up.
        var (_, bare) = NewSession(StandardInvoice() with { InvoiceNumber = null });
        Assert.Equal(JsonValueKind.Null, (await Json(await GetSession(bare))).GetProperty("orderNumber").ValueKind);
    }
}
