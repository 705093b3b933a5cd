using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// One payment in flight per Snipcart session, through the Functions host and the sandbox: a second Pay while an
/// attempt may still take the money is a 409 <c>payment_in_progress</c> naming it, two tabs start one attempt, and
/// the shopper can cancel an unpaid one (the provider voids it) and choose again.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class OnePaymentInFlightTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task A_second_pay_while_the_first_is_pending_is_409_naming_it_and_charges_nothing_more()
    {
        var (session, token) = _h.NewSession();
        var (first, redirect) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(first, SandboxPayStatuses.Pending);
        var payments = _h.State.SandboxPayPayments.Count;

        var again = await PayAsync(_h.State.MintToken(session.Id));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var problem = await BodyOf(again);
        Assert.Equal("payment_in_progress", problem.GetProperty("code").GetString());
        Assert.Equal(first, problem.GetProperty("paymentRef").GetString());
        Assert.Equal("pending", problem.GetProperty("status").GetString());
        Assert.Equal(redirect.OriginalString, problem.GetProperty("continueUrl").GetString());
        // Money committed is finished at the provider, never cancelled from here.
        Assert.False(problem.GetProperty("canCancel").GetBoolean());
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
        Assert.Equal(SandboxPayStatuses.Pending, _h.State.FindSandboxPayPaymentByReference(first)!.Status);
    }

    [Fact]
    public async Task Two_tabs_pressing_pay_at_the_same_moment_start_one_attempt()
    {
        var (session, _) = _h.NewSession();
        var tokens = Enumerable.Range(0, 6).Select(_ => _h.State.MintToken(session.Id)).ToList();
        var payments = _h.State.SandboxPayPayments.Count;
        using var start = new ManualResetEventSlim();

        var presses = tokens.Select(t => Task.Run(async () => { start.Wait(); return await PayAsync(t); })).ToList();
        start.Set();
        var answers = await Task.WhenAll(presses);

        var started = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        var paymentRef = (await BodyOf(started)).GetProperty("paymentRef").GetString();
        foreach (var refused in answers.Where(a => a != started))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            var problem = await BodyOf(refused);
            Assert.Equal("payment_in_progress", problem.GetProperty("code").GetString());
            Assert.Equal(paymentRef, problem.GetProperty("paymentRef").GetString());
        }
        Assert.Equal(payments + 1, _h.State.SandboxPayPayments.Count);
    }

    [Fact]
    public async Task A_shopper_who_cancels_an_unpaid_payment_from_the_page_can_pay_again_and_snipcart_hears_nothing()
    {
        var (session, token) = _h.NewSession();
        var (first, _) = await _h.StartPaymentAsync(token);
        var refused = await BodyOf(await PayAsync(token));
        Assert.Equal("awaitingshopper", refused.GetProperty("status").GetString());
        Assert.True(refused.GetProperty("canCancel").GetBoolean());

        var canceled = await CancelAsync(first, token);

        Assert.Equal(HttpStatusCode.OK, canceled.StatusCode);
        Assert.Equal("canceled", (await BodyOf(canceled)).GetProperty("status").GetString());
        Assert.Equal(SandboxPayStatuses.Canceled, _h.State.FindSandboxPayPaymentByReference(first)!.Status);
        var (second, _) = await _h.StartPaymentAsync(token);
        Assert.NotEqual(first, second);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task A_payment_cannot_be_cancelled_with_another_orders_link_or_a_tampered_one()
    {
        var (_, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        var (_, otherToken) = _h.NewSession();

        var otherOrder = await CancelAsync(paymentRef, otherToken);
        var tampered = await CancelAsync(paymentRef, token, sig: _h.Sig(token: otherToken));

        Assert.Equal(HttpStatusCode.NotFound, otherOrder.StatusCode);
        Assert.Equal("payment_not_found", (await BodyOf(otherOrder)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        Assert.Equal("invalid_checkout_link", (await BodyOf(tampered)).GetProperty("code").GetString());
        Assert.Equal(SandboxPayStatuses.RequiresAction, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Status);
    }

    [Fact]
    public async Task A_payment_the_provider_cannot_void_is_not_cancelled_and_the_shopper_is_told_to_finish_or_wait()
    {
        // Snapplify Pay has no cancel in its API.
        var snapplify = new SnapplifyShopper(_h);
        var (session, token) = snapplify.NewZarSession();
        var (paymentRef, redirect) = await _h.StartPaymentAsync(token, provider: SnapplifyShopper.Provider);

        var again = await BodyOf(await PayAsync(token, SnapplifyShopper.Provider));
        var cancel = await CancelAsync(paymentRef, token, SnapplifyShopper.Provider);

        Assert.Equal("payment_in_progress", again.GetProperty("code").GetString());
        Assert.False(again.GetProperty("canCancel").GetBoolean());
        Assert.Equal(redirect.OriginalString, again.GetProperty("continueUrl").GetString());
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        var problem = await BodyOf(cancel);
        Assert.Equal("payment_not_cancelable", problem.GetProperty("code").GetString());
        Assert.Equal(paymentRef, problem.GetProperty("paymentRef").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await PayAsync(token, SnapplifyShopper.Provider)).StatusCode);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task A_payment_declined_at_the_provider_without_the_shopper_returning_does_not_block_the_next_pay()
    {
        var (session, token) = _h.NewSession();
        var (first, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(first, SandboxPayStatuses.Declined);

        var (second, _) = await _h.StartPaymentAsync(token);

        Assert.NotEqual(first, second);
        // Closed quietly: Snipcart is not told "failed" behind the shopper's back.
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    private async Task<HttpResponseMessage> PayAsync(string token, string provider = "sandboxpay")
    {
        using var client = _h.Gateway.CreateHttpClient();
        return await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider, mode = "test", sig = _h.Sig(provider, "test", token) });
    }

    private async Task<HttpResponseMessage> CancelAsync(string paymentRef, string token, string provider = "sandboxpay", string? sig = null)
    {
        using var client = _h.Gateway.CreateHttpClient();
        return await client.PostAsJsonAsync($"api/checkout/payments/{paymentRef}/cancel", new { publicToken = token, provider, mode = "test", sig = sig ?? _h.Sig(provider, "test", token) });
    }

    private static async Task<JsonElement> BodyOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
