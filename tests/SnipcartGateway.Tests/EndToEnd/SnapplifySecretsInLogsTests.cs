using System.Net;
using System.Text.Json;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// Snapplify's secret travels in the query string of every API call. A gateway whose host and worker log everything
/// (Trace, the HTTP client categories included) goes through a refusal that echoes the secret, a payment, a forged
/// return, a forged and a genuine IPN: the secret appears in no line.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SnapplifySecretsInLogsTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task Nothing_the_gateway_logs_at_any_level_carries_the_snapplify_secret()
    {
        var gateway = await _h.StartGatewayAsync(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:System"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
            ["Logging:LogLevel:Polly"] = "Trace",
            ["AzureFunctionsJobHost:logging:logLevel:default"] = "Trace",
        });
        try
        {
            var shopper = new SnapplifyShopper(_h, gateway);
            var (_, token) = shopper.NewZarSession();
            shopper.Snapplify.FailNextRequest(new SnapplifyRequestFault(400, "INVALID_SECRET", $"The secret {SandboxHost.SnapplifySecret} is not valid for this client."));
            using var client = gateway.CreateHttpClient();
            var refused = await client.PostAsync("api/checkout/payments", JsonContent(new { publicToken = token, provider = "snapplify", mode = "test", sig = _h.Sig("snapplify", token: token) }));
            Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
            Assert.DoesNotContain(SandboxHost.SnapplifySecret, await refused.Content.ReadAsStringAsync());

            var (_, paymentRef, payment, redirect) = await shopper.StartAsync();
            Assert.Equal(HttpStatusCode.Redirect, (await shopper.ReturnAsync(SnapplifyShopper.ForgedReturn(gateway, paymentRef, payment, token: Guid.NewGuid().ToString()))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await shopper.PostIpnAsync("""{"payment":{"referenceCode":"x"}}""")).StatusCode);
            Assert.Equal(HttpStatusCode.Redirect, (await shopper.ReturnAsync(await SnapplifyShopper.ChooseAsync(redirect, "approve"))).StatusCode);
            await _h.State.WaitUntilAsync(_ => shopper.Snapplify.IpnAttempts.Any(a => a.Token == payment.Token && a.StatusCode == 200), TimeSpan.FromSeconds(20));

            // The host flushes its console asynchronously.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var output = gateway.Output;
            Assert.Contains("trce:", output);                                        // it really logged at Trace
            Assert.Contains(paymentRef, output);                                     // and our own payment lines are there
            Assert.Contains("Snapplify Pay answered 400 to /payment/request", output); // the refusal was logged, scrubbed
            Assert.Contains("/snapplify/payment/validate?", output);                 // the HTTP client logged its calls (query redacted)
            Assert.DoesNotContain(SandboxHost.SnapplifySecret, output);
            Assert.DoesNotContain("secret=", output);
        }
        finally
        {
            await _h.StopGatewayAsync(gateway);
        }
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), System.Text.Encoding.UTF8, "application/json");
}
