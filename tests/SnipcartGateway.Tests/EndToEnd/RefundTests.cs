using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>Snipcart's refund webhook against a paid order: idempotent, never more than was paid.</summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class RefundTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    /// <summary>Sandbox Pay's refunds of one payment (the sandbox is shared by every test).</summary>
    private List<SandboxPayRefund> RefundsOf(string paymentId) => _h.State.SandboxPayRefunds.Where(r => r.Payment == paymentId).ToList();

    private async Task<(SandboxSession Session, string RefundsUrl, string PaymentId)> PaidOrderAsync()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        _h.State.SetSandboxPayStatus(payment.Id, SandboxPayStatuses.Succeeded, notify: false);
        using var client = _h.Gateway.CreateHttpClient();
        await client.GetAsync($"api/checkout/return/{paymentRef}");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        return (session, _h.State.GetSession(session.Id)!.RefundsUrl!, payment.Id);
    }

    /// <summary>Snipcart calling the refund URL it was given (or any URL, for the refusals).</summary>
    private async Task<HttpResponseMessage> RefundAsync(string refundsUrl, object body)
    {
        using var client = _h.Gateway.CreateHttpClient();
        var url = refundsUrl.StartsWith("http", StringComparison.Ordinal) ? refundsUrl : $"api/snipcart/refunds/{refundsUrl}";
        return await client.PostAsJsonAsync(url, body);
    }

    private static async Task<string> RefundIdAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("refundId").GetString()!;
    }

    [Fact]
    public async Task The_same_refund_sent_twice_is_refunded_once_with_the_same_id()
    {
        var (_, refundsUrl, paymentId) = await PaidOrderAsync();

        var first = await RefundIdAsync(await RefundAsync(refundsUrl, new { paymentId, amount = 20.75m }));
        var second = await RefundIdAsync(await RefundAsync(refundsUrl, new { paymentId, amount = 20.75m }));

        Assert.Equal(first, second);
        var refund = Assert.Single(RefundsOf(paymentId));
        Assert.Equal(20.75m, refund.Amount);
        Assert.Equal(paymentId, refund.Payment);
    }

    [Fact]
    public async Task Ten_identical_refunds_at_once_refund_once()
    {
        var (_, refundsUrl, paymentId) = await PaidOrderAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => RefundAsync(refundsUrl, new { paymentId, amount = 10m })));
        var ids = await Task.WhenAll(responses.Select(RefundIdAsync));

        Assert.Single(ids.Distinct());
        Assert.Single(RefundsOf(paymentId));
    }

    [Fact]
    public async Task Refunds_never_exceed_what_was_paid_even_when_they_race()
    {
        var (session, refundsUrl, paymentId) = await PaidOrderAsync();
        var total = session.Invoice.Amount;
        var part = Math.Round(total * 0.4m, 2);

        // Three different amounts of 40% each: at most two can fit.
        var responses = await Task.WhenAll(new[] { part, part + 0.01m, part + 0.02m }.Select(a => RefundAsync(refundsUrl, new { paymentId, amount = a })));

        Assert.Equal(2, responses.Count(r => r.IsSuccessStatusCode));
        var refused = Assert.Single(responses, r => !r.IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(RefundsOf(paymentId).Sum(r => r.Amount) <= total);
        Assert.Equal(2, RefundsOf(paymentId).Count);
    }

    [Fact]
    public async Task A_refund_for_an_unknown_or_unpaid_payment_is_refused()
    {
        var refunds = _h.State.SandboxPayRefunds.Count;
        Assert.Equal(HttpStatusCode.NotFound, (await RefundAsync("pay_doesnotexist0000000000000", new { amount = 1m })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await RefundAsync("not-a-ref", new { amount = 1m })).StatusCode);

        var (_, token) = _h.NewSession();
        var (unpaidRef, _) = await _h.StartPaymentAsync(token);
        var unpaid = await RefundAsync(unpaidRef, new { amount = 1m });
        Assert.Equal(HttpStatusCode.Unauthorized, unpaid.StatusCode);
        Assert.Equal("application/problem+json", unpaid.Content.Headers.ContentType?.MediaType);
        Assert.Equal(refunds, _h.State.SandboxPayRefunds.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1.001)]
    public async Task A_bad_amount_is_a_400_and_refunds_nothing(decimal amount)
    {
        var (_, refundsUrl, paymentId) = await PaidOrderAsync();
        var response = await RefundAsync(refundsUrl, new { amount });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(RefundsOf(paymentId));
    }

    [Fact]
    public async Task A_forged_public_token_is_refused()
    {
        var (_, refundsUrl, paymentId) = await PaidOrderAsync();
        var response = await RefundAsync(refundsUrl, new { paymentId, amount = 5m, publicToken = "forged" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(RefundsOf(paymentId));
    }

    [Fact]
    public async Task The_shopper_cannot_refund_with_the_payment_reference_they_know()
    {
        var (_, refundsUrl, paymentId) = await PaidOrderAsync();
        var bare = refundsUrl[..refundsUrl.IndexOf('?')];

        var withoutKey = await RefundAsync(bare, new { amount = 5m });
        var wrongKey = await RefundAsync(bare + "?key=guessed", new { amount = 5m });

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal("application/problem+json", wrongKey.Content.Headers.ContentType?.MediaType);
        Assert.Empty(RefundsOf(paymentId));
    }

    [Fact]
    public async Task A_refund_whose_answer_was_lost_is_not_refunded_again_when_snipcart_retries()
    {
        var (_, refundsUrl, paymentId) = await PaidOrderAsync();
        // The provider refunds, but its answer never reaches us, nor do those of the client's two retries under
        // the same idempotency key (Hosting/OutboundHttp).
        _h.State.FailNext(SimulatedEndpoint.SandboxPayRefund, 503, times: 3, afterApplying: true);

        var first = await RefundAsync(refundsUrl, new { paymentId, amount = 15m });
        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        var retried = await RefundIdAsync(await RefundAsync(refundsUrl, new { paymentId, amount = 15m }));

        var refund = Assert.Single(RefundsOf(paymentId));
        Assert.Equal(15m, refund.Amount);
        Assert.Equal(retried, refund.IdempotencyKey);
    }

    [Fact]
    public async Task A_refund_the_provider_refused_frees_its_amount_and_a_new_request_is_a_new_refund()
    {
        var (session, refundsUrl, paymentId) = await PaidOrderAsync();
        _h.State.FailNext(SimulatedEndpoint.SandboxPayRefund, 400);

        var refused = await RefundAsync(refundsUrl, new { paymentId, amount = session.Invoice.Amount });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var full = await RefundIdAsync(await RefundAsync(refundsUrl, new { paymentId, amount = session.Invoice.Amount }));

        Assert.Equal(full, Assert.Single(RefundsOf(paymentId)).IdempotencyKey);
    }
}
