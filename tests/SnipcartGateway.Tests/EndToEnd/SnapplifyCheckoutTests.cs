using SnipcartGateway.Domain.Lifecycle;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Domain;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// Snapplify Pay through the real gateway under the Functions host, the sandbox's Snipcart and Snapplify simulator,
/// and Azurite: nothing the shopper's browser or an IPN claims is believed until /payment/validate says so, and
/// Snipcart hears "processed" once.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SnapplifyCheckoutTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;
    private SnapplifyShopper Shopper => new(_h);

    [Fact]
    public async Task A_zar_payment_goes_to_snapplify_as_requested_and_is_confirmed_once()
    {
        var (session, paymentRef, payment, redirect) = await Shopper.StartAsync();

        // The page is sent where Snapplify said, and Snapplify got our reference, the session's amount, ZAR and ZA.
        Assert.Equal(new Uri($"{_h.Sandbox.BaseAddress}snapplify/payment/submit?client={SandboxHost.SnapplifyClient}&token={payment.Token}"), redirect);
        Assert.Equal(paymentRef, payment.ReferenceCode);
        Assert.Equal(session.Invoice.Amount, payment.Amount);
        Assert.Equal("ZAR", payment.Currency);
        Assert.Equal("ZA", payment.Country);
        Assert.Equal($"{_h.Gateway.BaseAddress}api/checkout/return/{paymentRef}", payment.RedirectUrl);
        Assert.Equal($"{_h.Gateway.BaseAddress}api/providers/snapplify/notifications?mode=test", payment.NotificationUrl);

        var back = await Shopper.ReturnAsync(await SnapplifyShopper.ChooseAsync(redirect, "approve"));

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}"), back.Headers.Location);
        var call = Assert.Single(_h.State.PaymentCallsFor(session.Id));
        Assert.Equal("processed", call.State);
        Assert.Equal(payment.TransactionId, call.TransactionId);
        // Snapplify's IPN arrives too; it is verified, validated again, and tells Snipcart nothing more.
        await _h.State.WaitUntilAsync(_ => Shopper.Snapplify.IpnAttempts.Any(a => a.Token == payment.Token && a.StatusCode == 200));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task A_forged_return_with_another_token_or_reference_confirms_nothing_and_changes_nothing()
    {
        var (session, paymentRef, payment, _) = await Shopper.StartAsync();
        var (_, _, other, _) = await Shopper.StartAsync();
        // Someone else's payment is paid; ours is not.
        Shopper.Snapplify.SetState(other.Token, SnapplifyStates.Completed, notify: false);
        var before = await Shopper.AttemptAsync(paymentRef);

        foreach (var forged in new[]
        {
            SnapplifyShopper.ForgedReturn(_h.Gateway, paymentRef, payment, token: other.Token),
            SnapplifyShopper.ForgedReturn(_h.Gateway, paymentRef, payment, referenceCode: other.ReferenceCode),
            SnapplifyShopper.ForgedReturn(_h.Gateway, paymentRef, payment, token: Guid.NewGuid().ToString()),
        })
        {
            var back = await Shopper.ReturnAsync(forged);
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
            Assert.StartsWith($"{_h.Gateway.BaseAddress}checkout/", back.Headers.Location!.ToString()); // our status page, not Snipcart's order
        }

        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        var after = await Shopper.AttemptAsync(paymentRef);
        Assert.Equal(before.Status, after.Status);
        Assert.Null(after.ConfirmedState);
        Assert.False(after.NeedsAttention);
        Assert.Equal(before.ProviderData.OrderBy(p => p.Key), after.ProviderData.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("currency")]
    [InlineData("reference")]
    public async Task A_validate_answer_for_another_amount_currency_or_reference_is_never_confirmed_and_is_flagged(string lie)
    {
        var (session, paymentRef, payment, _) = await Shopper.StartAsync();
        Shopper.Snapplify.TamperValidate(payment.Token, lie switch
        {
            "amount" => new SnapplifyValidateOverride(Amount: payment.Amount - 100m),
            "currency" => new SnapplifyValidateOverride(Currency: "USD"),
            _ => new SnapplifyValidateOverride(ReferenceCode: "pay_someone_else"),
        });

        // Paid at Snapplify; its IPN (authentic) makes the gateway validate, which lies.
        Shopper.Snapplify.SetState(payment.Token, SnapplifyStates.Completed, notify: true);
        await _h.State.WaitUntilAsync(_ => Shopper.Snapplify.IpnAttempts.Any(a => a.Token == payment.Token && a.StatusCode is not null), TimeSpan.FromSeconds(20));

        var attempt = await Shopper.AttemptAsync(paymentRef);
        Assert.True(attempt.NeedsAttention);
        // Snapplify has no refund API: the money it reports taken goes on a person's list to give back by hand.
        Assert.Equal((FlagCodes.RefundByHand, PaymentVerification.MismatchCode), (attempt.FailureCode, attempt.GiveBackReason));
        Assert.DoesNotContain(_h.State.PaymentCallsFor(session.Id), c => c.State == "processed");
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task An_ipn_that_snapplify_does_not_call_verified_is_refused_with_401_and_changes_nothing()
    {
        var (session, paymentRef, payment, _) = await Shopper.StartAsync();
        var before = await Shopper.AttemptAsync(paymentRef);
        var forged = JsonSerializer.Serialize(new
        {
            payment = new { authorisationCode = payment.Token, referenceCode = paymentRef, currency = "ZAR", amount = payment.Amount, paymentState = "COMPLETED", validated = true },
        });

        var answer = await Shopper.PostIpnAsync(forged);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Equal(0, Shopper.Snapplify.ValidateCalls(payment.Token));
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        var after = await Shopper.AttemptAsync(paymentRef);
        Assert.Equal(before.ProviderData.OrderBy(p => p.Key), after.ProviderData.OrderBy(p => p.Key));
        Assert.False(after.NeedsAttention);
    }

    [Fact]
    public async Task An_ipn_racing_the_shoppers_return_confirms_once()
    {
        var (session, _, payment, redirect) = await Shopper.StartAsync();

        // Approving queues the IPN at once; the shopper's browser follows the redirect at the same time.
        var returnUrl = await SnapplifyShopper.ChooseAsync(redirect, "approve");
        var back = await Shopper.ReturnAsync(returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        await _h.State.WaitUntilAsync(_ => Shopper.Snapplify.IpnAttempts.Any(a => a.Token == payment.Token && a.StatusCode == 200), TimeSpan.FromSeconds(20));
        Assert.Single(_h.State.PaymentCallsFor(session.Id), c => c.State == "processed");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.True(Shopper.Snapplify.ValidateCalls(payment.Token) >= 2); // the return and the IPN both asked
    }

    [Fact]
    public async Task A_payment_left_pending_is_confirmed_once_by_the_later_ipn()
    {
        var (session, _, payment, redirect) = await Shopper.StartAsync();
        var back = await Shopper.ReturnAsync(await SnapplifyShopper.ChooseAsync(redirect, "pending"));
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("processing", Assert.Single(_h.State.PaymentCallsFor(session.Id)).State);

        // Snapplify settles it later and says so.
        Shopper.Snapplify.SetState(payment.Token, SnapplifyStates.Completed, notify: true);
        await _h.State.WaitUntilAsync(s => s.ConfirmationsFor(session.Id) == 1, TimeSpan.FromSeconds(20));
        await _h.State.WaitUntilAsync(_ => Shopper.Snapplify.IpnAttempts.Count(a => a.Token == payment.Token && a.StatusCode == 200) >= 2, TimeSpan.FromSeconds(20));

        Assert.Equal(["processing", "processed"], _h.State.PaymentCallsFor(session.Id).Select(c => c.State));
    }

    [Fact]
    public async Task A_request_snapplify_refuses_shows_its_message_and_the_shopper_can_try_again()
    {
        var (session, token) = Shopper.NewZarSession();
        Shopper.Snapplify.FailNextRequest(new SnapplifyRequestFault(200, "MERCHANT_SUSPENDED", "This store cannot take payments right now."));
        using var client = _h.Gateway.CreateHttpClient();
        object Body() => new { publicToken = token, provider = "snapplify", mode = "test", sig = _h.Sig("snapplify", token: token) };

        var refused = await client.PostAsJsonAsync("api/checkout/payments", Body());

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("provider_unavailable", problem.GetProperty("code").GetString());
        Assert.Equal("Snapplify Pay could not start the payment. Please try again.", problem.GetProperty("title").GetString());
        Assert.Equal("This store cannot take payments right now.", problem.GetProperty("detail").GetString());
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));

        var retried = await client.PostAsJsonAsync("api/checkout/payments", Body());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task A_refund_is_refused_with_a_422_naming_snapplifys_dashboard_and_recorded()
    {
        var (session, paymentRef, _, redirect) = await Shopper.StartAsync();
        await Shopper.ReturnAsync(await SnapplifyShopper.ChooseAsync(redirect, "approve"));
        var refundsUrl = new Uri(_h.State.GetSession(session.Id)!.RefundsUrl!);
        using var client = _h.Gateway.CreateHttpClient();

        var refused = await client.PostAsJsonAsync(refundsUrl.PathAndQuery.TrimStart('/'), new { paymentId = paymentRef, amount = 100m });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("refund_not_supported", problem.GetProperty("code").GetString());
        Assert.Contains("Snapplify Pay's own dashboard", problem.GetProperty("title").GetString());
        await using var services = InProcessGateway.For(_h);
        var recorded = Assert.Single(await services.Get<IPaymentStore>().ListRefundsAsync(paymentRef));
        Assert.Equal(RefundState.ManualRefundRequired, recorded.State);
    }
}
