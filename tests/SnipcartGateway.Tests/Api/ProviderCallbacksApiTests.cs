using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Api;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox.SandboxPay;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Payments;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Api;

/// <summary>
/// The notification function's handler with Sandbox Pay's real adapter behind hooks: a notification verified with
/// one mode's credentials has no say over the other mode's payments, and what a notification reports outside the
/// normal flow is recorded and flagged.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProviderCallbacksApiTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Fact]
    public async Task A_notification_verified_for_live_never_touches_a_test_payment()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _provider.AfterParse = n => n with { Mode = PaymentMode.Live };
        var before = await _h.Store.GetAttemptAsync(paymentRef);

        var status = await PostAsync(paymentRef);

        Assert.Equal(401, status);
        Assert.Equal(before!.Version, (await _h.Store.GetAttemptAsync(paymentRef))!.Version);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task The_same_notification_verified_for_test_confirms_the_payment()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);

        var status = await PostAsync(paymentRef);

        Assert.Equal(200, status);
        Assert.Equal("processed", Assert.Single(_h.State.PaymentCallsFor(session.Id)).State);
    }

    [Fact]
    public async Task Money_the_provider_reports_moving_outside_the_flow_is_recorded_and_flagged()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _provider.AfterParse = n => n with { Attention = "chargeback", ProviderData = new Dictionary<string, string> { ["disputeId"] = "dp_1" } };

        var status = await PostAsync(paymentRef);

        Assert.Equal(200, status);
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.True(attempt.NeedsAttention);
        Assert.Equal("chargeback", attempt.ProviderData["attention"]);
        Assert.Equal("dp_1", attempt.ProviderData["disputeId"]);
    }

    [Fact]
    public async Task The_index_of_provider_payment_ids_is_kept_per_provider()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        // Our payment's provider id, indexed under Sandbox Pay, looked up by "another" provider: not found.
        var found = await _h.Store.FindPaymentRefAsync("smartpay", (await _h.AttemptAsync(paymentRef)).ProviderPaymentId!);
        Assert.Null(found);
        Assert.Equal(paymentRef, await _h.Store.FindPaymentRefAsync("sandboxpay", (await _h.AttemptAsync(paymentRef)).ProviderPaymentId!));
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    private async Task<int> PostAsync(string paymentRef)
    {
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        var body = JsonSerializer.Serialize(new { type = "payment.updated", payment = new { id = payment.Id, status = payment.Status } });
        var context = new DefaultHttpContext { RequestServices = _h.Services };
        context.Request.Method = "POST";
        context.Request.Path = "/api/providers/sandboxpay/notifications";
        context.Request.QueryString = new QueryString("?mode=test");
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.Headers[SandboxPaySignature.HeaderName] = SandboxPaySignature.Create(SandboxHost.SandboxPaySigning, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);

        var result = await ProviderCallbacksApi.HandleAsync(
            "sandboxpay",
            context.Request,
            _h.Services.GetRequiredService<IProviderRegistry>(),
            _h.Finisher,
            _h.Store,
            _h.Services.GetRequiredService<TimeProvider>(),
            _h.Services.GetRequiredService<ILoggerFactory>(),
            CancellationToken.None);
        return result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200;
    }
}
