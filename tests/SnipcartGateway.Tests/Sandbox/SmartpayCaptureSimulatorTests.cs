using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Sandbox.Smartpay;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>The Smartpay simulator under <c>captureMethod: manual</c>: requires_capture until POST /payments, one payment
/// per Idempotency-Key, and no capture after the order's expiresAt.</summary>
public sealed class SmartpayCaptureSimulatorTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private HttpClient _http = null!;

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        foreach (var endpoint in State.WebhookEndpoints)
        {
            State.RemoveWebhookEndpoint(endpoint.Id);
        }
        _http = _sandbox.Http();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "sk_test_sandboxSmartpayLocal");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private SmartpayState State => _sandbox.Services.GetRequiredService<SmartpayState>();

    private async Task<string> AuthorisedOrderAsync(string reference)
    {
        var session = await (await _http.PostAsJsonAsync("/smartpay/v1/checkout-sessions", new
        {
            amount = 1000, currency = "JPY", captureMethod = "manual", reference,
            items = new[] { new { name = "Tea", amount = 1000, currency = "JPY", quantity = 1, kind = "product" } },
            customerInfo = new { emailAddress = "hanako@example.jp" },
            shippingInfo = new { address = new { line1 = "1-2-3 Shibuya", locality = "Shibuya-ku", postalCode = "150-0002", country = "JP" } },
            successUrl = "https://shop.example/ok", cancelUrl = "https://shop.example/cancel",
        })).Content.ReadFromJsonAsync<JsonElement>();
        var orderId = session.GetProperty("order").GetProperty("id").GetString()!;
        Assert.NotNull(State.Approve(orderId));
        return orderId;
    }

    private Task<HttpResponseMessage> CaptureAsync(string orderId, string key, long amount = 1000)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/smartpay/v1/payments")
        {
            Content = JsonContent.Create(new { order = orderId, amount, currency = "JPY", cancelRemainder = "automatic", reference = key }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return _http.SendAsync(request);
    }

    private async Task<JsonElement> OrderAsync(string orderId) =>
        await (await _http.GetAsync("/smartpay/v1/orders/" + orderId)).Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task A_manual_order_waits_in_requires_capture_with_an_expiry_and_one_key_captures_once()
    {
        var orderId = await AuthorisedOrderAsync("pay_simsp1");
        var waiting = await OrderAsync(orderId);

        var first = await CaptureAsync(orderId, "cap-sp1");
        var replay = await CaptureAsync(orderId, "cap-sp1");

        Assert.Equal("requires_capture", waiting.GetProperty("status").GetString());
        Assert.True(waiting.GetProperty("expiresAt").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, State.Captures(orderId));
        Assert.Equal("succeeded", (await OrderAsync(orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task After_its_expiry_an_authorised_order_cannot_be_captured_but_can_be_cancelled()
    {
        var orderId = await AuthorisedOrderAsync("pay_simsp2");
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient { BaseAddress = new Uri(_sandbox.BaseUrl) }
            .PostAsync($"/smartpay/test/orders/{orderId}/expire-authorization", null)).StatusCode);

        var refused = await CaptureAsync(orderId, "cap-sp2");
        var retried = await CaptureAsync(orderId, "cap-sp2");
        using var cancel = new HttpRequestMessage(HttpMethod.Put, $"/smartpay/v1/orders/{orderId}/cancellation");
        cancel.Headers.Add("Idempotency-Key", "cancel-sp2");
        var cancelled = await _http.SendAsync(cancel);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("order.cannot-capture", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, retried.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("canceled", (await OrderAsync(orderId)).GetProperty("status").GetString());
        Assert.Equal(0, State.Captures(orderId));
    }

    [Fact]
    public async Task The_configured_lifetime_sets_the_expiry_and_more_than_authorised_is_refused()
    {
        State.Options.AuthorizationLifetime = TimeSpan.Zero;
        var lapsed = await AuthorisedOrderAsync("pay_simsp3");
        State.Options.AuthorizationLifetime = TimeSpan.FromDays(30);
        var open = await AuthorisedOrderAsync("pay_simsp4");

        Assert.Equal(HttpStatusCode.BadRequest, (await CaptureAsync(lapsed, "cap-sp3")).StatusCode);
        var excessive = await CaptureAsync(open, "cap-sp4", amount: 1001);
        Assert.Equal("payment.excessive-amount", (await excessive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
        Assert.Equal(0, State.Captures(lapsed) + State.Captures(open));
    }
}
