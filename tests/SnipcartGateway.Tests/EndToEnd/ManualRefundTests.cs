using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox;
using SandboxPayProvider = SnipcartGateway.Providers.SandboxPay.SandboxPayProvider;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>A refund through a provider with no refund API: refused clearly, and recorded for the merchant.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ManualRefundTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private GatewayHarness _h = null!;

    public Task InitializeAsync()
    {
        _h = GatewayHarness.Start(azurite, services =>
            services.AddSingleton<IPaymentProvider>(sp => new NoRefundProvider(sp.GetRequiredService<SandboxPayProvider>())));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_provider_without_refunds_gets_a_422_and_the_request_is_recorded_once()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, provider: NoRefundProvider.ProviderId);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);
        using var client = _h.Gateway.CreateHttpClient();
        await client.GetAsync($"api/checkout/return/{paymentRef}");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));

        var refundsUrl = _h.State.GetSession(session.Id)!.RefundsUrl!;
        var first = await client.PostAsJsonAsync(refundsUrl, new { amount = 12.5m });
        var again = await client.PostAsJsonAsync(refundsUrl, new { amount = 12.5m });

        foreach (var response in new[] { first, again })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var problem = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("refund_not_supported", problem.GetProperty("code").GetString());
        var refundId = problem.GetProperty("refundId").GetString();
        Assert.Equal(refundId, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("refundId").GetString());

        var store = _h.Gateway.Services.GetRequiredService<IPaymentStore>();
        var recorded = Assert.Single(await store.ListRefundsAsync(paymentRef));
        Assert.Equal(refundId, recorded.RefundId);
        Assert.Equal(RefundState.ManualRefundRequired, recorded.State);
        Assert.Equal(12.5m, recorded.Amount.Amount);
        Assert.Empty(_h.State.SandboxPayRefunds);
    }
}
