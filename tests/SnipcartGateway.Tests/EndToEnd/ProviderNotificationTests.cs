using System.Net;
using System.Text;
using System.Text.Json;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.SandboxPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// Notifications under the Functions host, as providers send them: some name only their own payment id (found
/// through the index written when the payment was created), some name an id we never issued, some come with the
/// mode in the URL the gateway gave the provider.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class ProviderNotificationTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task A_notification_that_names_only_the_providers_id_finishes_the_payment_once()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        // The gateway gave Sandbox Pay a notification URL with the mode in it.
        Assert.EndsWith("/api/providers/sandboxpay/notifications?mode=test", payment.NotificationUrl);

        _h.State.SandboxPayNotificationsWithoutReference = true;
        try
        {
            _h.State.SetSandboxPayStatus(payment.Id, SandboxPayStatuses.Succeeded, notify: true);
            await _h.State.WaitUntilAsync(s => s.ConfirmationsFor(session.Id) == 1);
            // Sent again (a provider's retry): still one confirmation.
            var sent = await SendAsync(JsonSerializer.Serialize(new { type = "payment.updated", payment = new { id = payment.Id, status = "succeeded" } }));
            Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        }
        finally
        {
            _h.State.SandboxPayNotificationsWithoutReference = false;
        }

        var call = Assert.Single(_h.State.PaymentCallsFor(session.Id));
        Assert.Equal("processed", call.State);
        Assert.DoesNotContain(_h.State.SentCalls, c => c.Subject == payment.Id && c.RequestBody!.Contains(paymentRef, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_signed_notification_for_an_id_we_never_issued_is_acknowledged_and_changes_nothing()
    {
        var callsBefore = _h.State.PaymentCalls.Count;

        var response = await SendAsync(JsonSerializer.Serialize(new { type = "payment.updated", payment = new { id = "pay_never_issued", status = "succeeded" } }));

        // Sandbox Pay retries anything but 200 (as Smartpay does): acknowledged, ignored.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(callsBefore, _h.State.PaymentCalls.Count);
    }

    [Fact]
    public async Task A_notification_url_with_an_unknown_mode_is_refused()
    {
        var response = await SendAsync(JsonSerializer.Serialize(new { type = "payment.updated", payment = new { id = "pay_x", status = "succeeded" } }), "?mode=staging");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpResponseMessage> SendAsync(string body, string query = "?mode=test")
    {
        using var client = _h.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/providers/sandboxpay/notifications" + query)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SandboxPaySignature.HeaderName, SandboxPaySignature.Create(SandboxHost.SandboxPaySigning, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        return await client.SendAsync(request);
    }
}
