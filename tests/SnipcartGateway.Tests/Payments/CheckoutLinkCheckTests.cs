using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// What Pay refuses before anything is recorded or sent to a provider: a link without a token, mode, known provider
/// or a signature that fits the order; a token Snipcart does not know, or Snipcart out of reach; an order with no valid
/// amount, or one the provider does not take.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CheckoutLinkCheckTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Providers:SandboxPay:Currencies"] = "USD,JPY",
    };

    private async Task<GatewayProblemException> RefusedAsync(StartPaymentCommand command, string? sessionId = null)
    {
        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.Checkout.StartAsync(command, CancellationToken.None));
        Assert.Empty(_h.State.SandboxPayPayments);
        if (sessionId is not null)
        {
            Assert.Null(await _h.Store.FindSessionAsync(sessionId));
        }
        return problem;
    }

    public static TheoryData<string?, string?, string?, bool, int, string, string> BadLinks => new()
    {
        // token, mode, provider, signed: status, code, title
        { null, "test", "sandboxpay", true, 400, "missing_token", "publicToken is required." },
        { " ", "test", "sandboxpay", true, 400, "missing_token", "publicToken is required." },
        { "token", null, "sandboxpay", true, 400, "invalid_mode", "mode must be 'test' or 'live'." },
        { "token", "prod", "sandboxpay", true, 400, "invalid_mode", "mode must be 'test' or 'live'." },
        { "token", "test", "nope", true, 422, "provider_unavailable", "There is no payment provider 'nope'." },
        { "token", "test", null, true, 422, "provider_unavailable", "There is no payment provider ''." },
        { "token", "test", "sandboxpay", false, 403, "invalid_checkout_link", "This checkout link is not valid." },
        { "unknown", "test", "sandboxpay", true, 401, "invalid_token", "The payment session token is unknown or expired." },
    };

    [Theory]
    [MemberData(nameof(BadLinks))]
    public async Task A_link_missing_a_part_or_with_a_token_snipcart_does_not_know_records_nothing_and_says_which(string? token, string? mode, string? provider, bool signed, int status, string code, string title)
    {
        var (session, real) = _h.NewSession();
        token = token switch { "token" => real, "unknown" => "tok_" + Guid.NewGuid().ToString("N"), _ => token };
        var signature = signed ? _h.Sig(token: real) : null;

        var problem = await RefusedAsync(new StartPaymentCommand(token, provider, mode, signature), session.Id);

        Assert.Equal((status, code, title), (problem.Status, problem.Code, problem.Title));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public async Task A_link_without_a_signature_is_refused_before_snipcart_is_asked(string? signature)
    {
        var (session, token) = _h.NewSession();
        _h.State.FailNext(SimulatedEndpoint.Validate, 503, times: 4);

        var problem = await RefusedAsync(new StartPaymentCommand(token, "sandboxpay", "test", signature), session.Id);

        Assert.Equal((403, "invalid_checkout_link", "This checkout link is not valid.", "Go back to the store and choose the payment method again."),
            (problem.Status, problem.Code, problem.Title, problem.Detail));
    }

    [Theory]
    [InlineData("live")]
    [InlineData("other-order")]
    [InlineData("other-provider")]
    public async Task A_signature_for_another_mode_order_or_provider_is_refused(string what)
    {
        var (session, token) = _h.NewSession();
        var (_, otherToken) = _h.NewSession(unitPrice: 12m);
        var signature = what switch
        {
            "live" => _h.Sig(mode: PaymentMode.Live, token: token),
            "other-order" => _h.Sig(token: otherToken),
            _ => _h.Sig(provider: "smartpay", token: token),
        };

        var problem = await RefusedAsync(new StartPaymentCommand(token, "sandboxpay", "test", signature), session.Id);

        Assert.Equal((403, "invalid_checkout_link"), (problem.Status, problem.Code));
    }

    [Theory]
    [InlineData(SimulatedEndpoint.Validate)]
    [InlineData(SimulatedEndpoint.PaymentSession)]
    public async Task Snipcart_out_of_reach_is_a_502_and_records_nothing(SimulatedEndpoint endpoint)
    {
        var (session, token) = _h.NewSession();
        _h.State.FailNext(endpoint, 503, times: 4);

        var problem = await RefusedAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), session.Id);

        Assert.Equal((502, "snipcart_unavailable"), (problem.Status, problem.Code));
    }

    [Theory]
    [InlineData(0, "usd", "invalid_invoice", "The payment session has no valid amount or currency.")]
    [InlineData(10, "us", "invalid_invoice", "The payment session has no valid amount or currency.")]
    // 2 x 100.5 + 10.05 tax: a yen amount with a fraction.
    [InlineData(100.5, "jpy", "invalid_invoice", "The order total 211.05 JPY has more decimals than JPY allows.")]
    [InlineData(10, "cad", "provider_unavailable", "Sandbox Pay (test only) is not available for this order.")]
    public async Task An_order_without_a_valid_amount_or_in_a_currency_the_provider_does_not_take_is_refused(double unitPrice, string currency, string code, string title)
    {
        var (session, token) = _h.NewSession((decimal)unitPrice, currency);

        var problem = await RefusedAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), session.Id);

        Assert.Equal((422, code, title), (problem.Status, problem.Code, problem.Title));
    }

    [Theory]
    [InlineData(100, "jpy")]
    [InlineData(10.25, "usd")]
    public async Task An_amount_in_the_currencys_minor_units_and_a_currency_the_provider_takes_is_started(double unitPrice, string currency)
    {
        var (session, token) = _h.NewSession((decimal)unitPrice, currency);

        var started = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);

        Assert.Equal(new Money(session.Invoice.Amount, currency.ToUpperInvariant()), (await _h.AttemptAsync(started.PaymentRef)).Amount);
    }
}
