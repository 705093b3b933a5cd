using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hardening;

/// <summary>
/// A whole purchase and refund through a gateway whose host and worker both log at Debug: neither the refund key,
/// nor a full public token, nor a configured secret may appear in anything they print.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SecretsInLogsTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task A_purchase_and_refund_at_debug_level_log_no_key_token_or_secret()
    {
        var gateway = await _h.StartGatewayAsync(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Logging:LogLevel:System"] = "Debug",
            ["AzureFunctionsJobHost:logging:logLevel:default"] = "Debug",
        });
        try
        {
            var (session, token) = _h.NewSession();
            using var client = gateway.CreateHttpClient();

            // Snipcart's webhook with the token in the query (as one of its docs says), then the page's calls.
            var methods = await client.PostAsJsonAsync($"api/snipcart/payment-methods?publicToken={Uri.EscapeDataString(token)}", new
            {
                mode = "test",
                invoice = new { currency = "usd", amount = session.Invoice.Amount, billingAddress = new { country = "US" } },
            });
            Assert.Equal(HttpStatusCode.OK, methods.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/checkout/session?publicToken={Uri.EscapeDataString(token)}&provider=sandboxpay&mode=test&sig={Uri.EscapeDataString(_h.Sig(token: token))}")).StatusCode);
            var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: gateway);
            _h.SetProviderStatus(paymentRef, "succeeded");
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync($"api/checkout/return/{paymentRef}")).StatusCode);

            var refundsUrl = _h.State.GetSession(session.Id)!.RefundsUrl!;
            var key = System.Web.HttpUtility.ParseQueryString(new Uri(refundsUrl).Query)["key"]!;
            var refund = await client.PostAsJsonAsync(new Uri(refundsUrl).PathAndQuery.TrimStart('/'), new { paymentId = paymentRef, amount = 5m });
            Assert.Equal(HttpStatusCode.OK, refund.StatusCode);

            // A widget payment too (Sandbox Widget shares Sandbox Pay's keys): paid in the widget, finished by the
            // status poll and the simulator's signed notification.
            var (widgetSession, widgetToken) = _h.NewSession();
            var (widgetRef, widget) = await _h.StartWidgetPaymentAsync(widgetToken, gateway: gateway);
            using var sandbox = new HttpClient { BaseAddress = _h.Sandbox.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await sandbox.PostAsync($"sandboxpay/widget/v1/checkouts/{widget.GetProperty("checkoutToken").GetString()}/pay", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/checkout/payments/{widgetRef}")).StatusCode);
            Assert.Equal(1, _h.State.ConfirmationsFor(widgetSession.Id));

            // SmartPay by J.P. Morgan: an OAuth token, a widget checkout token and a Basic-authenticated notification.
            var (jpmSession, jpmToken) = _h.NewSession(currency: "eur");
            var jpmStart = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = jpmToken, provider = "jpmsmartpay", mode = "test", sig = _h.Sig("jpmsmartpay", "test", jpmToken) });
            Assert.Equal(HttpStatusCode.OK, jpmStart.StatusCode);
            var jpmRef = System.Text.Json.JsonDocument.Parse(await jpmStart.Content.ReadAsStringAsync()).RootElement.GetProperty("paymentRef").GetString()!;
            var smp = _h.Sandbox.Services.GetRequiredService<JpmSmartPayState>();
            var transaction = smp.FindByReference(jpmRef)!;
            smp.SetStatus(transaction.TransactionId, JpmStatuses.Captured);
            var account = GatewayHarness.JpmAccount;
            var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{account.NotificationUsername}:{account.NotificationPassword}"));
            using var notification = new HttpRequestMessage(HttpMethod.Post, "api/providers/jpmsmartpay/notifications")
            {
                Content = JsonContent.Create(new { id = "n1", merchantKey = account.MerchantKey, eventType = "updated", objectId = transaction.TransactionId, objectType = "payment" }),
            };
            notification.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", basic);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(notification)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/checkout/payments/{jpmRef}")).StatusCode);
            Assert.Equal(1, _h.State.ConfirmationsFor(jpmSession.Id));

            // The host flushes its console asynchronously.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var output = gateway.Output;
            Assert.Contains("dbug:", output);                                       // it really logged at Debug
            Assert.Contains(paymentRef, output);                                     // and our own payment lines are there
            Assert.DoesNotContain(key, output);
            Assert.DoesNotContain(token, output);
            Assert.DoesNotContain(widgetToken, output);
            Assert.Contains(jpmRef, output);
            foreach (var secret in new[] { SandboxHost.SnipcartTestKey, SandboxHost.SnipcartLiveKey, SandboxHost.SandboxPaySecret, SandboxHost.SandboxPaySigning,
                SandboxHost.SnapplifySecret, account.ClientSecret, account.NotificationPassword, basic, transaction.CheckoutToken })
            {
                Assert.DoesNotContain(secret, output);
            }
            Assert.NotEmpty(smp.IssuedTokens);
            foreach (var accessToken in smp.IssuedTokens)
            {
                Assert.DoesNotContain(accessToken, output);
            }
        }
        finally
        {
            await _h.StopGatewayAsync(gateway);
        }
    }
}
