using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using SnipcartGateway.Sandbox;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>The simulated Snipcart API and the demo store's Snipcart-side flow.</summary>
public sealed partial class SnipcartSimulatorTests : IAsyncLifetime
{
    private LoopbackServer _gateway = null!;
    private SandboxFactory _sandbox = null!;
    private string _methodsAnswer = "[]";

    public async Task InitializeAsync()
    {
        _gateway = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path.StartsWithSegments("/api/snipcart/payment-methods") ? _methodsAnswer : """{"refundId":"rf-1"}""");
        });
        _sandbox = SandboxFactory.Start(_gateway.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _gateway.DisposeAsync();
    }

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex SessionIdShape();

    private static Task<HttpResponseMessage> PostPayment(HttpClient http, string? key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/private/custom-payment-gateway/payment") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return http.SendAsync(request);
    }

    [Fact]
    public async Task Session_json_has_the_documented_shape_and_ids_look_like_snipcarts()
    {
        var (session, token) = _sandbox.NewSession();
        using var http = _sandbox.Http();

        Assert.Equal(3, token.Split('.').Length);
        Assert.Matches(SessionIdShape(), session.Id);
        using var json = JsonDocument.Parse(await http.GetStringAsync("/api/public/custom-payment-gateway/payment-session?publicToken=" + Uri.EscapeDataString(token)));
        var root = json.RootElement;
        Assert.Equal(session.Id, root.GetProperty("id").GetString());
        Assert.EndsWith("/#/checkout", root.GetProperty("paymentAuthorizationRedirectUrl").GetString());
        var invoice = root.GetProperty("invoice");
        Assert.Equal("usd", invoice.GetProperty("currency").GetString());
        Assert.Equal(69.44m, invoice.GetProperty("amount").GetDecimal());
        Assert.Equal(JsonValueKind.Null, invoice.GetProperty("billingAddress").GetProperty("region").ValueKind);
        var item = invoice.GetProperty("items")[0];
        foreach (var name in new[] { "name", "unitPrice", "quantity", "type", "rateOfTaxIncludedInPrice", "amount" })
        {
            Assert.True(item.TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public async Task Validate_and_session_answer_404_for_unknown_and_expired_tokens_and_allow_any_origin()
    {
        var (_, token) = _sandbox.NewSession();
        using var http = _sandbox.Http();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/public/custom-payment-gateway/validate?publicToken=" + Uri.EscapeDataString(token));
        request.Headers.Add("Origin", "https://shop.example");

        var ok = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("*", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/public/custom-payment-gateway/validate?publicToken=nope")).StatusCode);

        _sandbox.State.ExpireToken(token);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/public/custom-payment-gateway/payment-session?publicToken=" + Uri.EscapeDataString(token))).StatusCode);
    }

    [Fact]
    public async Task Create_payment_checks_key_mode_session_transaction_and_state_and_records_every_call()
    {
        var (session, _) = _sandbox.NewSession(SandboxMode.Test);
        using var http = _sandbox.Http();
        var good = new { paymentSessionId = session.Id, state = "processed", transactionId = "t-1", links = new { refunds = "http://gw/refund?ref=1" } };

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostPayment(http, null, good)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostPayment(http, SandboxFactory.LiveKey, good)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostPayment(http, SandboxFactory.TestKey, new { paymentSessionId = "unknown", state = "processed", transactionId = "t" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostPayment(http, SandboxFactory.TestKey, new { paymentSessionId = session.Id, state = "processed" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostPayment(http, SandboxFactory.TestKey, new { paymentSessionId = session.Id, state = "paid", transactionId = "t" })).StatusCode);
        Assert.Equal(0, _sandbox.State.ConfirmationsFor(session.Id));

        var accepted = await PostPayment(http, SandboxFactory.TestKey, good);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var returnUrl = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("returnUrl").GetString();
        Assert.Equal($"{_sandbox.BaseUrl}/store/orders/{session.Id}", returnUrl);

        // A repeated "processed" is not refused (undocumented), but it is counted.
        Assert.Equal(HttpStatusCode.OK, (await PostPayment(http, SandboxFactory.TestKey, good)).StatusCode);
        Assert.Equal(2, _sandbox.State.ConfirmationsFor(session.Id));
        Assert.Equal(7, _sandbox.State.PaymentCalls.Count);
        Assert.Equal(5, _sandbox.State.PaymentCallsFor(session.Id).Count);
        var latest = _sandbox.State.GetSession(session.Id)!;
        Assert.Equal("processed", latest.State);
        Assert.Equal("http://gw/refund?ref=1", latest.RefundsUrl);
    }

    [Fact]
    public async Task An_injected_fault_after_applying_confirms_but_answers_503()
    {
        var (session, _) = _sandbox.NewSession();
        _sandbox.State.FailNext(SimulatedEndpoint.CreatePayment, 503, afterApplying: true);
        using var http = _sandbox.Http();

        var response = await PostPayment(http, SandboxFactory.TestKey, new { paymentSessionId = session.Id, state = "processed", transactionId = "t" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _sandbox.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task The_session_shows_its_latest_payment_state_and_a_repeated_state_is_accepted_and_recorded()
    {
        var (session, token) = _sandbox.NewSession();
        using var http = _sandbox.Http();
        async Task<JsonElement> StateAsync()
        {
            using var json = JsonDocument.Parse(await http.GetStringAsync("/api/public/custom-payment-gateway/payment-session?publicToken=" + Uri.EscapeDataString(token)));
            return json.RootElement.GetProperty("state").Clone();
        }

        Assert.Equal(JsonValueKind.Null, (await StateAsync()).ValueKind);
        var body = new { paymentSessionId = session.Id, state = "processed", transactionId = "t" };
        var first = await PostPayment(http, SandboxFactory.TestKey, body);
        Assert.Equal("processed", (await StateAsync()).GetString());

        // Undocumented: the lenient reading, with the same answer; the repeat is recorded so tests can count it.
        var again = await PostPayment(http, SandboxFactory.TestKey, body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(2, _sandbox.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task Checkout_calls_the_payment_methods_webhook_and_redirects_with_a_fresh_token()
    {
        _methodsAnswer = $$"""[{"id":"sandboxpay","name":"Sandbox Pay (test only)","checkoutUrl":"{{_gateway.BaseUrl}}/checkout/?provider=sandboxpay"}]""";
        using var http = _sandbox.Http();

        var checkout = await http.PostAsJsonAsync("/_sandbox/checkout", new
        {
            items = new[] { new { productId = "dawn-print", quantity = 2 }, new { productId = "field-guide", quantity = 1 } },
            currency = "usd", language = "fr", email = "a@example.com", mode = "live",
            billingAddress = new { name = "A", country = "FR" },
        });
        var result = await checkout.Content.ReadFromJsonAsync<JsonElement>();
        var sessionId = result.GetProperty("sessionId").GetString()!;
        Assert.Equal("Sandbox Pay (test only)", result.GetProperty("methods")[0].GetProperty("name").GetString());

        // 2 x 49.95 + 9.99 = 109.89; tax 8.79; shipping 7.50.
        var session = _sandbox.State.GetSession(sessionId)!;
        Assert.Equal(126.18m, session.Invoice.Amount);
        Assert.Equal(SandboxMode.Live, session.Mode);
        var webhook = Assert.Single(_gateway.Requests, r => r.PathAndQuery == "/api/snipcart/payment-methods");
        using var body = JsonDocument.Parse(webhook.Body);
        Assert.Equal("live", body.RootElement.GetProperty("mode").GetString());
        var firstToken = body.RootElement.GetProperty("publicToken").GetString();
        Assert.Equal(sessionId, _sandbox.State.FindSessionByToken(firstToken)?.Id);

        var go = await http.PostAsync($"/_sandbox/sessions/{sessionId}/methods/sandboxpay", null);
        Assert.Equal(HttpStatusCode.SeeOther, go.StatusCode);
        var location = go.Headers.Location!.ToString();
        Assert.StartsWith(_gateway.BaseUrl + "/checkout/?provider=sandboxpay&publicToken=", location);
        var freshToken = Uri.UnescapeDataString(location[(location.IndexOf("publicToken=", StringComparison.Ordinal) + 12)..]);
        Assert.NotEqual(firstToken, freshToken);
        Assert.Equal(sessionId, _sandbox.State.FindSessionByToken(freshToken)?.Id);
    }

    [Fact]
    public async Task The_order_page_shows_the_state_and_its_refund_form_posts_the_refund_webhook()
    {
        var (session, _) = _sandbox.NewSession();
        using var http = _sandbox.Http();
        await PostPayment(http, SandboxFactory.TestKey, new
        {
            paymentSessionId = session.Id, state = "processed", transactionId = "sp_<b>", links = new { refunds = _gateway.BaseUrl + "/api/snipcart/refunds?ref=p1" },
        });

        var page = await http.GetStringAsync($"/store/orders/{session.Id}");
        Assert.Contains("processed", page);
        Assert.Contains("sp_&lt;b&gt;", page);
        Assert.DoesNotContain("sp_<b>", page);
        Assert.Contains("/refunds\"", page);

        var refund = await http.PostAsync($"/store/orders/{session.Id}/refunds", new FormUrlEncodedContent(new Dictionary<string, string> { ["amount"] = "20.75" }));
        Assert.Equal(HttpStatusCode.SeeOther, refund.StatusCode);
        var call = Assert.Single(_gateway.Requests, r => r.PathAndQuery.StartsWith("/api/snipcart/refunds", StringComparison.Ordinal));
        using var sent = JsonDocument.Parse(call.Body);
        Assert.Equal("sp_<b>", sent.RootElement.GetProperty("paymentId").GetString());
        Assert.Equal(20.75m, sent.RootElement.GetProperty("amount").GetDecimal());
        Assert.Contains("rf-1", await http.GetStringAsync($"/store/orders/{session.Id}"));
        Assert.Contains(_sandbox.State.SentCalls, c => c.Kind == SentCallKinds.Refund && c.StatusCode == 200);
    }

    [Fact]
    public async Task The_store_page_and_its_records_are_served()
    {
        using var http = _sandbox.Http();
        Assert.Contains("Checkout", await http.GetStringAsync("/"));
        Assert.Contains("store.js", await http.GetStringAsync("/"));
        using var calls = JsonDocument.Parse(await http.GetStringAsync("/_sandbox/calls"));
        Assert.True(calls.RootElement.TryGetProperty("paymentCalls", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/_sandbox/sessions/nope")).StatusCode);
    }
}
