using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Api;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox;
using SandboxPayProvider = SnipcartGateway.Providers.SandboxPay.SandboxPayProvider;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// A refund through a provider with no refund API: refused clearly, and recorded for the merchant. No shipped
/// provider lacks a refund API yet and no setting may switch one off, so this is a service test: the gateway's
/// services in-process with one extra provider, against the shared stack's sandbox and Azurite. The refund
/// webhook's HTTP refusals are tested under the host in <see cref="RefundTests"/>.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class ManualRefundTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task A_provider_without_refunds_gets_a_422_and_the_request_is_recorded_once()
    {
        await using var gateway = InProcessGateway.For(_h, overrides: services =>
            services.AddSingleton<IPaymentProvider>(sp => new NoRefundProvider(sp.GetRequiredService<SandboxPayProvider>())));
        var (session, token) = _h.NewSession();
        var refundsBefore = _h.State.SandboxPayRefunds.Count;

        var started = await gateway.Get<CheckoutService>().StartAsync(
            new StartPaymentCommand(token, NoRefundProvider.ProviderId, "test", _h.Sig(NoRefundProvider.ProviderId, token: token)), CancellationToken.None);
        _h.SetProviderStatus(started.PaymentRef, SandboxPayStatuses.Succeeded, notify: false);
        await gateway.Get<PaymentFinisher>().FinishAsync(started.PaymentRef, FinishTrigger.ShopperReturn, cancellationToken: CancellationToken.None);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));

        // Snipcart calls the refunds URL it was given: our reference in the path, the key in the query.
        var refundsUrl = new Uri(_h.State.GetSession(session.Id)!.RefundsUrl!);
        Assert.EndsWith($"/api/snipcart/refunds/{started.PaymentRef}", refundsUrl.AbsolutePath);
        var refunds = gateway.Get<RefundService>();
        Task<InProcessGateway.Answer> RefundAsync() =>
            gateway.InvokeAsync(request => RefundsApi.HandleAsync(started.PaymentRef, request, refunds, CancellationToken.None), new { amount = 12.5m }, refundsUrl.Query);
        var first = await RefundAsync();
        var again = await RefundAsync();

        foreach (var response in new[] { first, again })
        {
            Assert.Equal(422, response.Status);
            Assert.Equal("application/problem+json", response.ContentType?.Split(';')[0]);
        }
        Assert.Equal("refund_not_supported", first.Json.GetProperty("code").GetString());
        var refundId = first.Json.GetProperty("refundId").GetString();
        Assert.False(string.IsNullOrEmpty(refundId));
        Assert.Equal(refundId, again.Json.GetProperty("refundId").GetString());

        var recorded = Assert.Single(await gateway.Get<IPaymentStore>().ListRefundsAsync(started.PaymentRef));
        Assert.Equal(refundId, recorded.RefundId);
        Assert.Equal(RefundState.ManualRefundRequired, recorded.State);
        Assert.Equal(12.5m, recorded.Amount.Amount);
        Assert.Equal(refundsBefore, _h.State.SandboxPayRefunds.Count);
    }
}
