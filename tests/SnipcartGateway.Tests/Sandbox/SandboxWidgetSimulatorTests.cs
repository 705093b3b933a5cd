using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Sandbox;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>The sandbox's widget flow of Sandbox Pay: creating a widget payment, the script it serves and the
/// browser API the script calls with the checkout token (any origin may call it, as any merchant's page does).</summary>
public sealed class SandboxWidgetSimulatorTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private HttpClient _http = null!;

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

    private async Task<HttpResponseMessage> CreateAsync(object body, string key = SandboxFactory.SandboxPayKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sandboxpay/v1/payments") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await _http.SendAsync(request);
    }

    private async Task<(string Id, string Token)> CreateWidgetPaymentAsync(string reference)
    {
        var response = await CreateAsync(new { flow = "widget", amount = 10.5m, currency = "eur", reference, notificationUrl = "http://127.0.0.1:9/notify" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(body.TryGetProperty("redirectUrl", out _));
        return (body.GetProperty("id").GetString()!, body.GetProperty("checkoutToken").GetString()!);
    }

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();

    [Fact]
    public async Task A_widget_payment_needs_no_return_url_and_answers_a_checkout_token()
    {
        var (id, token) = await CreateWidgetPaymentAsync("ref-1");

        Assert.StartsWith("ct_", token);
        var payment = _sandbox.State.GetSandboxPayPayment(id)!;
        Assert.Equal(SandboxPayFlows.Widget, payment.Flow);
        Assert.Equal(token, payment.CheckoutToken);
        // A widget payment has no hosted page.
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/sandboxpay/pay/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_redirect_payment_still_needs_its_urls_and_the_flow_must_be_known()
    {
        var redirect = await CreateAsync(new { amount = 1m, currency = "usd", reference = "r" });
        Assert.Equal(HttpStatusCode.BadRequest, redirect.StatusCode);
        Assert.Contains("returnUrl", await redirect.Content.ReadAsStringAsync());

        var unknown = await CreateAsync(new { flow = "popup", amount = 1m, currency = "usd", reference = "r" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);

        var unauthorized = await CreateAsync(new { flow = "widget", amount = 1m, currency = "usd", reference = "r" }, key: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    [Fact]
    public async Task The_script_is_served_as_javascript_and_exposes_render()
    {
        var response = await _http.GetAsync("/sandboxpay/widget.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.Contains("window.SandboxWidget = { render: render }", script);
        Assert.Contains("ERROR_CHECKOUT_TIMEOUT", script);
        Assert.Contains("ERROR_PAYMENT_DECLINED", script);
    }

    [Theory]
    [InlineData("pay", SandboxPayStatuses.Succeeded)]
    [InlineData("decline", SandboxPayStatuses.Declined)]
    [InlineData("expire", SandboxPayStatuses.Canceled)]
    public async Task Each_widget_action_sets_the_payment_once_and_notifies(string action, string status)
    {
        var (id, token) = await CreateWidgetPaymentAsync("ref-" + action);

        var checkout = JsonDocument.Parse(await _http.GetStringAsync($"/sandboxpay/widget/v1/checkouts/{token}")).RootElement;
        Assert.Equal(10.5m, checkout.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", checkout.GetProperty("currency").GetString());
        Assert.Equal(SandboxPayStatuses.RequiresAction, checkout.GetProperty("status").GetString());

        var done = await _http.PostAsync($"/sandboxpay/widget/v1/checkouts/{token}/{action}", null);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal(status, _sandbox.State.GetSandboxPayPayment(id)!.Status);
        await _sandbox.State.WaitUntilAsync(s => s.SentCalls.Any(c => c.Kind == SentCallKinds.SandboxPayNotification && c.Subject == id));

        // Final: the widget cannot change it again.
        var again = await _http.PostAsync($"/sandboxpay/widget/v1/checkouts/{token}/pay", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("checkout_closed", await CodeOf(again));
        Assert.Equal(status, _sandbox.State.GetSandboxPayPayment(id)!.Status);
    }

    [Fact]
    public async Task Unknown_tokens_and_actions_are_refused()
    {
        var (_, token) = await CreateWidgetPaymentAsync("ref-x");

        var unknown = await _http.PostAsync("/sandboxpay/widget/v1/checkouts/ct_nope/pay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_checkout", await CodeOf(unknown));
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.PostAsync($"/sandboxpay/widget/v1/checkouts/{token}/refund", null)).StatusCode);
    }

    [Fact]
    public async Task The_browser_api_answers_any_origin()
    {
        var (_, token) = await CreateWidgetPaymentAsync("ref-cors");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"/sandboxpay/widget/v1/checkouts/{token}/pay");
        preflight.Headers.Add("Origin", "http://merchant.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "accept");

        var answer = await _http.SendAsync(preflight);

        Assert.True(answer.IsSuccessStatusCode, answer.StatusCode.ToString());
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var get = new HttpRequestMessage(HttpMethod.Get, $"/sandboxpay/widget/v1/checkouts/{token}");
        get.Headers.Add("Origin", "http://merchant.example");
        Assert.Equal("*", (await _http.SendAsync(get)).Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
