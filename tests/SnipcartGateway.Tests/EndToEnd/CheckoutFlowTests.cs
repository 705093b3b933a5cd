using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SnipcartGateway.Domain;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.SandboxPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// A shopper's checkout through the real gateway, the sandbox's Snipcart and Sandbox Pay, and Azurite: the
/// provider is asked server-to-server, and Snipcart is told once.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CheckoutFlowTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task A_shopper_who_pays_is_sent_to_snipcart_and_the_order_is_confirmed_once()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, redirect) = await _h.StartPaymentAsync(token);

        // The shopper clicks Pay on the provider's page, which sends them back to the gateway.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var paid = await browser.PostAsync(redirect, new FormUrlEncodedContent([new("action", "pay")]));
        Assert.Equal(HttpStatusCode.SeeOther, paid.StatusCode);
        var back = await browser.GetAsync(paid.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}"), back.Headers.Location);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var call = Assert.Single(_h.State.PaymentCallsFor(session.Id), c => c.Accepted);
        Assert.Equal("processed", call.State);
        Assert.Equal(SandboxMode.Test, call.KeyMode);
        Assert.Equal(_h.State.FindSandboxPayPaymentByReference(paymentRef)!.Id, call.TransactionId);
        // Our reference in the path, plus a key the shopper never sees (it is not in anything sent to the browser).
        var refundsUrl = call.RefundsUrl ?? "";
        Assert.StartsWith($"{_h.Gateway.BaseAddress}api/snipcart/refunds/{paymentRef}?key=", refundsUrl);
        var key = refundsUrl[(refundsUrl.IndexOf("?key=", StringComparison.Ordinal) + 5)..];
        Assert.True(key.Length >= 32);
        Assert.DoesNotContain(key, paid.Headers.Location!.ToString() + back.Headers.Location);

        // The page's status poll agrees.
        using var page = _h.Gateway.CreateHttpClient();
        var status = JsonDocument.Parse(await page.GetStringAsync($"api/checkout/payments/{paymentRef}")).RootElement;
        Assert.Equal("paid", status.GetProperty("status").GetString());
        Assert.True(status.GetProperty("confirmed").GetBoolean());
        Assert.Equal(back.Headers.Location!.ToString(), status.GetProperty("returnUrl").GetString());

        // The provider's own notification arrives afterwards: nothing more is told.
        await _h.State.WaitUntilAsync(s => s.SentCalls.Any(c => c.Kind == SentCallKinds.SandboxPayNotification && c.Subject == call.TransactionId && c.StatusCode == 200));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task A_declined_payment_is_told_failed_with_a_code_and_the_shopper_goes_back_to_snipcart()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        _h.State.SetSandboxPayStatus(payment.Id, SandboxPayStatuses.Declined, notify: false);

        using var client = _h.Gateway.CreateHttpClient();
        var back = await client.GetAsync($"api/checkout/return/{paymentRef}?sandboxpay_payment={payment.Id}");

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var call = Assert.Single(_h.State.PaymentCallsFor(session.Id));
        Assert.Equal("failed", call.State);
        Assert.False(string.IsNullOrEmpty(call.Error?.Code));
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task Pending_is_told_processing_and_the_later_notification_confirms_processed()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        _h.State.SetSandboxPayStatus(payment.Id, SandboxPayStatuses.Pending, notify: false);

        using var client = _h.Gateway.CreateHttpClient();
        var back = await client.GetAsync($"api/checkout/return/{paymentRef}");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("processing", Assert.Single(_h.State.PaymentCallsFor(session.Id)).State);

        _h.State.SetSandboxPayStatus(payment.Id, SandboxPayStatuses.Succeeded, notify: true);
        await _h.State.WaitUntilAsync(s => s.ConfirmationsFor(session.Id) == 1);
        Assert.Equal(["processing", "processed"], _h.State.PaymentCallsFor(session.Id).Select(c => c.State!).ToArray());
    }

    [Fact]
    public async Task Twenty_returns_and_notifications_arriving_together_confirm_once()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        _h.State.SetSandboxPayStatus(payment.Id, SandboxPayStatuses.Succeeded, notify: false);

        var body = JsonSerializer.Serialize(new { type = "payment.updated", payment = new { id = payment.Id, status = "succeeded", amount = payment.Amount, currency = payment.Currency, reference = paymentRef } });
        using var client = _h.Gateway.CreateHttpClient();
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            start.Wait();
            if (i % 2 == 0)
            {
                return await client.GetAsync($"api/checkout/return/{paymentRef}");
            }
            var notification = new HttpRequestMessage(HttpMethod.Post, "api/providers/sandboxpay/notifications")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            notification.Headers.Add(SandboxPaySignature.HeaderName, SandboxPaySignature.Create(SandboxHost.SandboxPaySigning, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
            return await client.SendAsync(notification);
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(requests);

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Single(_h.State.PaymentCallsFor(session.Id));
        var returnUrl = new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}");
        foreach (var (response, i) in responses.Select((r, i) => (r, i)))
        {
            if (i % 2 == 0)
            {
                // Every shopper's tab lands on Snipcart's order page, not just the one that won.
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal(returnUrl, response.Headers.Location);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task A_shopper_who_cancels_goes_back_to_the_payment_step_and_nothing_is_confirmed()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, redirect) = await _h.StartPaymentAsync(token);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var canceled = await browser.PostAsync(redirect, new FormUrlEncodedContent([new("action", "cancel")]));
        Assert.Equal($"{_h.Gateway.BaseAddress}api/checkout/cancel/{paymentRef}", canceled.Headers.Location?.GetLeftPart(UriPartial.Path));
        var back = await browser.GetAsync(canceled.Headers.Location);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(session.PaymentAuthorizationRedirectUrl, back.Headers.Location?.ToString());
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task Starting_with_an_unknown_token_is_refused_and_records_nothing()
    {
        var payments = _h.State.SandboxPayPayments.Count;
        using var client = _h.Gateway.CreateHttpClient();
        var response = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = "not-a-token", provider = "sandboxpay", mode = "test", sig = _h.Sig() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid_token", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
    }

    [Fact]
    public async Task A_session_already_paid_cannot_be_paid_again()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);
        using var client = _h.Gateway.CreateHttpClient();
        await client.GetAsync($"api/checkout/return/{paymentRef}");
        var payments = _h.State.SandboxPayPayments.Count;

        var fresh = _h.State.MintToken(session.Id);
        var again = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = fresh, provider = "sandboxpay", mode = "test", sig = _h.Sig(token: fresh) });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
    }
}

/// <summary>Outages and oddities around starting and finishing a payment.</summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CheckoutEdgeCaseTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString();

    [Fact]
    public async Task A_session_paid_twice_is_confirmed_once_and_both_shoppers_reach_the_order()
    {
        var (session, token) = _h.NewSession();
        var (first, second) = await _h.PayTwiceAtTheProviderAsync(session, token);

        using var client = _h.Gateway.CreateHttpClient();
        var backs = await Task.WhenAll(client.GetAsync($"api/checkout/return/{first}"), client.GetAsync($"api/checkout/return/{second}"));

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var orderPage = new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}");
        Assert.All(backs, back => Assert.Equal(orderPage, back.Headers.Location));
        await using var gateway = InProcessGateway.For(_h);
        var attempts = await Task.WhenAll(new[] { first, second }.Select(r => gateway.Get<IPaymentStore>().GetAttemptAsync(r)));
        var loser = Assert.Single(attempts, a => a!.Value.ConfirmedState is null)!.Value;
        Assert.Equal("duplicate_payment", loser.FailureCode);
        // The duplicate is given back once through Sandbox Pay's refund, so nobody needs to look.
        Assert.Equal(SnipcartGateway.Domain.Lifecycle.GiveBackState.Done, loser.GiveBackState);
        Assert.False(loser.NeedsAttention);
        var refund = Assert.Single(_h.State.SandboxPayRefunds, r => r.Payment == loser.ProviderPaymentId);
        Assert.Equal(loser.Amount.Amount, refund.Amount);
    }

    [Fact]
    public async Task A_provider_that_cannot_create_the_payment_gives_a_502_and_the_shopper_may_retry()
    {
        var (session, token) = _h.NewSession();
        // Three times: the provider's client retries its idempotency-keyed create twice (Hosting/OutboundHttp).
        _h.State.FailNext(SimulatedEndpoint.SandboxPayCreatePayment, 500, times: 3);
        using var client = _h.Gateway.CreateHttpClient();

        var failed = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider = "sandboxpay", mode = "test", sig = _h.Sig(token: token) });
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("provider_unavailable", await CodeOf(failed));

        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        Assert.NotNull(_h.State.FindSandboxPayPaymentByReference(paymentRef));
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task Snipcart_being_down_at_start_is_a_502_not_a_verdict_on_the_token()
    {
        var (_, token) = _h.NewSession();
        var payments = _h.State.SandboxPayPayments.Count;
        // The first try and the client's three retries of the validation GET.
        _h.State.FailNext(SimulatedEndpoint.Validate, 503, times: 4);
        using var client = _h.Gateway.CreateHttpClient();

        var response = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider = "sandboxpay", mode = "test", sig = _h.Sig(token: token) });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("snipcart_unavailable", await CodeOf(response));
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
    }

    [Theory]
    [InlineData("""{"publicToken":"x","provider":"nope","mode":"test"}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"publicToken":"x","provider":"sandboxpay","mode":"prod"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"provider":"sandboxpay","mode":"test"}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"publicToken":""", HttpStatusCode.BadRequest)]
    [InlineData("""[1,2]""", HttpStatusCode.BadRequest)]
    public async Task Bad_start_requests_are_4xx_problems(string body, HttpStatusCode status)
    {
        var payments = _h.State.SandboxPayPayments.Count;
        using var client = _h.Gateway.CreateHttpClient();
        var response = await client.PostAsync("api/checkout/payments", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
    }

    [Fact]
    public async Task An_unknown_payment_reference_is_a_404_problem_on_the_status_api()
    {
        using var client = _h.Gateway.CreateHttpClient();
        var response = await client.GetAsync("api/checkout/payments/pay_doesnotexist0000000000000");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api/checkout/return/pay_doesnotexist0000000000000")]
    [InlineData("api/checkout/return/..%2F..%2Fetc")]
    [InlineData("api/checkout/cancel/pay_doesnotexist0000000000000")]
    [InlineData("api/checkout/cancel/nope")]
    public async Task A_browser_arriving_with_an_unknown_reference_is_sent_to_the_page_that_explains_never_json(string path)
    {
        using var client = _h.Gateway.CreateHttpClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"{_h.Gateway.BaseAddress}checkout/?notice=payment_not_found", response.Headers.Location?.ToString());
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_notification_with_a_bad_signature_is_401_and_changes_nothing()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        _h.State.SetSandboxPayStatus(payment.Id, SandboxPayStatuses.Succeeded, notify: false);
        var body = JsonSerializer.Serialize(new { type = "payment.updated", payment = new { id = payment.Id, status = "succeeded", reference = paymentRef } });
        var request = new HttpRequestMessage(HttpMethod.Post, "api/providers/sandboxpay/notifications") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SandboxPaySignature.HeaderName, SandboxPaySignature.Create("not-the-secret", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));

        using var client = _h.Gateway.CreateHttpClient();
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task A_total_finer_than_its_currency_allows_is_refused_before_anything_is_recorded()
    {
        var (_, token) = _h.NewSession(unitPrice: 200.25m, currency: "jpy");
        var payments = _h.State.SandboxPayPayments.Count;
        using var client = _h.Gateway.CreateHttpClient();

        var response = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider = "sandboxpay", mode = "test", sig = _h.Sig(token: token) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("invalid_invoice", await CodeOf(response));
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
    }

    [Fact]
    public async Task Money_taken_after_snipcart_was_told_failed_is_flagged_not_confirmed()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Declined);
        await _h.ReturnAsync(paymentRef);
        Assert.Equal("failed", Assert.Single(_h.State.PaymentCallsFor(session.Id)).State);

        // The provider changes its mind and notifies us.
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: true);
        await using var gateway = InProcessGateway.For(_h);
        var store = gateway.Get<IPaymentStore>();
        await WaitForAsync(async () => (await store.GetAttemptAsync(paymentRef))!.Value.NeedsAttention);

        Assert.Single(_h.State.PaymentCallsFor(session.Id));
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 10 s.");
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("live", "test")]
    [InlineData("test", "live")]
    public async Task An_edited_mode_in_the_checkout_link_is_refused(string modeInLink, string signedMode)
    {
        var (_, token) = _h.NewSession(mode: signedMode == "live" ? SandboxMode.Live : SandboxMode.Test);
        var payments = _h.State.SandboxPayPayments.Count;
        using var client = _h.Gateway.CreateHttpClient();

        var edited = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider = "sandboxpay", mode = modeInLink, sig = _h.Sig(mode: signedMode, token: token) });
        var unsigned = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider = "sandboxpay", mode = modeInLink });

        Assert.Equal(HttpStatusCode.Forbidden, edited.StatusCode);
        Assert.Equal("invalid_checkout_link", await CodeOf(edited));
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
    }

    [Fact]
    public async Task An_oversized_notification_is_413_even_without_a_content_length()
    {
        using var client = _h.Gateway.CreateHttpClient();
        // A stream of unknown length goes out chunked: no Content-Length to check up front.
        var content = new StreamContent(new MemoryStream(new byte[300 * 1024]));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/providers/sandboxpay/notifications") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_declined_tab_never_tells_snipcart_failed_after_the_paid_tab_said_processed()
    {
        // Snipcart takes its time over the declined tab's "failed"; the paid tab comes back meanwhile (two attempts
        // started by force, as sessions recorded before the one-payment-in-flight rule allow).
        var (session, token) = _h.NewSession();
        var (declined, _) = await _h.StartPaymentAsync(token);
        await _h.ForgetPaymentInFlightAsync(session.Id);
        var (paid, _) = await _h.StartPaymentAsync(_h.State.MintToken(session.Id));
        _h.SetProviderStatus(declined, SandboxPayStatuses.Declined);
        _h.SetProviderStatus(paid, SandboxPayStatuses.Succeeded);
        var delayed = _h.State.DelaysTaken;
        _h.State.DelayNext(SimulatedEndpoint.CreatePayment, TimeSpan.FromSeconds(3));

        var declinedReturn = _h.ReturnAsync(declined);
        // The paid tab comes back once the "failed" call has reached Snipcart and is being slow.
        await _h.State.WaitUntilAsync(s => s.DelaysTaken > delayed, TimeSpan.FromSeconds(30));
        var paidReturn = _h.ReturnAsync(paid);
        await Task.WhenAll(declinedReturn, paidReturn);

        var states = _h.State.PaymentCallsFor(session.Id).Where(c => c.Accepted).Select(c => c.State).ToList();
        Assert.Equal(["failed", "processed"], states);
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}"), (await paidReturn).Headers.Location);
    }
}
