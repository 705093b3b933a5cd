using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Sandbox.JpmSmartPay;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>The simulated SmartPay refuses what the real one refuses, and its widget endpoints and SDK behave as documented.</summary>
public sealed class JpmSmartPaySimulatorTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private HttpClient _http = null!;
    private readonly JpmSmartPaySandboxSettings _account = new();

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        _http = _sandbox.Http();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private JpmSmartPayState Smp => _sandbox.Services.GetRequiredService<JpmSmartPayState>();

    private HttpRequestMessage Create(string? authorization, bool origin = true, string reference = "pay_sim1", decimal amount = 10.99m)
    {
        var body = $$$"""
            {"merchantKey":"{{{_account.MerchantKey}}}","partnerReference":"{{{reference}}}",
             "payment":{"amount":{{{amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"currencyCode":"EUR","description":"Purchase 1x product ABC"},
             "consumer":{"firstName":"Butcher","lastName":"Hells","emailAddress":"hells@example.com"},
             "billingAddress":{"addressLine1":"Anystreet","number":"123","city":"Anycity","postCode":"12345","countryCode":"DE"}}
            """;
        var request = new HttpRequestMessage(HttpMethod.Post, "/jpmsmartpay/payment/creation") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        request.Headers.UserAgent.ParseAdd("tests/1");
        request.Headers.AcceptLanguage.ParseAdd("en-US");
        if (origin)
        {
            request.Headers.TryAddWithoutValidation("Origin", "https://shop.example.com");
        }
        return request;
    }

    private string Basic(string key) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_account.MerchantKey}:{key}"));

    [Fact]
    public async Task Wrong_or_missing_credentials_get_401_and_missing_headers_400()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(Create(null))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(Create(Basic("wrong")))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(Create("Bearer not-a-token"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(Create(Basic(_account.AuthenticationKey), origin: false))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.SendAsync(Create(Basic(_account.AuthenticationKey), amount: 10.999m))).StatusCode);
        Assert.Empty(Smp.Transactions);

        var created = await _http.SendAsync(Create(Basic(_account.AuthenticationKey)));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CREATED", body.GetProperty("paymentStatus").GetString());
        Assert.Equal(64, body.GetProperty("checkoutToken").GetString()!.Length);
        Assert.True(Guid.TryParse(body.GetProperty("transactionId").GetString(), out _));
        // partnerReference is unique per merchant.
        Assert.Equal(HttpStatusCode.Conflict, (await _http.SendAsync(Create(Basic(_account.AuthenticationKey)))).StatusCode);
    }

    [Fact]
    public async Task Oauth_tokens_are_issued_to_the_right_client_and_expire()
    {
        var refused = await _http.PostAsync("/jpmsmartpay/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = _account.ClientId, ["client_secret"] = "wrong", ["grant_type"] = "client_credentials",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_client", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var issued = await _http.PostAsync("/jpmsmartpay/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = _account.ClientId, ["client_secret"] = _account.ClientSecret, ["grant_type"] = "client_credentials",
        }));
        var token = await issued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3600, token.GetProperty("expires_in").GetInt32());
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        var bearer = "Bearer " + token.GetProperty("access_token").GetString();
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(Create(bearer))).StatusCode);

        await _http.PostAsync("/jpmsmartpay/test/oauth/expire", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(Create(bearer, reference: "pay_sim2"))).StatusCode);
    }

    [Fact]
    public async Task The_widget_pays_through_the_tester_s_pending_path_and_status_reads_walk_it()
    {
        var created = await (await _http.SendAsync(Create(Basic(_account.AuthenticationKey)))).Content.ReadFromJsonAsync<JsonElement>();
        var token = created.GetProperty("checkoutToken").GetString()!;
        var id = created.GetProperty("transactionId").GetString()!;

        var read = await _http.GetAsync($"/jpmsmartpay/widget/checkouts/{token}");
        Assert.Equal(10.99m, (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("amount").GetDecimal());
        var submitted = await _http.PostAsJsonAsync($"/jpmsmartpay/widget/checkouts/{token}/submit", new { outcome = "pending" });
        var callback = await submitted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CALLBACK", callback.GetProperty("kind").GetString());
        Assert.Equal(id, callback.GetProperty("transactionId").GetString());

        var statuses = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var status = new HttpRequestMessage(HttpMethod.Get, $"/jpmsmartpay/payment/status/{id}") { Content = new StringContent("", Encoding.UTF8, "application/json") };
            status.Headers.TryAddWithoutValidation("Authorization", Basic(_account.AuthenticationKey));
            status.Headers.TryAddWithoutValidation("Origin", "https://shop.example.com");
            status.Headers.UserAgent.ParseAdd("tests/1");
            status.Headers.AcceptLanguage.ParseAdd("en-US");
            statuses.Add((await (await _http.SendAsync(status)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paymentStatus").GetString()!);
        }
        Assert.Equal(["AUTHORIZATION_PENDING", "CAPTURE_PENDING", "CAPTURED", "CAPTURED"], statuses);

        // Used once; a second journey on the same token is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await _http.PostAsJsonAsync($"/jpmsmartpay/widget/checkouts/{token}/submit", new { outcome = "pay" })).StatusCode);
    }

    [Fact]
    public async Task Declines_and_timeouts_answer_the_documented_error_codes()
    {
        var first = await (await _http.SendAsync(Create(Basic(_account.AuthenticationKey), reference: "pay_sim3"))).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await _http.SendAsync(Create(Basic(_account.AuthenticationKey), reference: "pay_sim4"))).Content.ReadFromJsonAsync<JsonElement>();

        var declined = await _http.PostAsJsonAsync($"/jpmsmartpay/widget/checkouts/{first.GetProperty("checkoutToken").GetString()}/submit", new { outcome = "decline" });
        var timedOut = await _http.PostAsJsonAsync($"/jpmsmartpay/widget/checkouts/{second.GetProperty("checkoutToken").GetString()}/submit", new { outcome = "timeout" });

        Assert.Equal("ERROR_INIT_PAYMENT", (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("ERROR_CHECKOUT_TIMEOUT", (await timedOut.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("AUTHORIZATION_FAILED", Smp.Get(first.GetProperty("transactionId").GetString()!)!.Status);
        Assert.Equal(HttpStatusCode.Gone, (await _http.GetAsync($"/jpmsmartpay/widget/checkouts/{second.GetProperty("checkoutToken").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task The_web_sdk_is_served_with_the_documented_entry_point()
    {
        var script = await _http.GetStringAsync("/jpmsmartpay/web-sdk.js");
        Assert.Contains("window.SmpLibrary.SmartPayAppInstance = { renderWidget: renderWidget }", script);
        Assert.Contains("successHandler", script);
    }
}
