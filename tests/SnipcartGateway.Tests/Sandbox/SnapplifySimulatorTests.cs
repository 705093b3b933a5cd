using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SnipcartGateway.Sandbox.Snapplify;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>The Snapplify Pay simulator keeps to what Snapplify documents: credentials in the query, the hosted
/// page's redirect parameters, IPNs retried 3 times, and ipn/validate vouching only for what it sent.</summary>
public sealed class SnapplifySimulatorTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private static string Credentials(string secret = SandboxFactory.SnapplifySecret) =>
        $"client={SandboxFactory.SnapplifyClient}&secret={Uri.EscapeDataString(secret)}";

    private async Task<(string Token, Uri RedirectUrl)> RequestAsync(HttpClient http, string reference, string notificationUrl)
    {
        var response = await http.PostAsJsonAsync($"/snapplify/payment/request?{Credentials()}", new
        {
            referenceCode = reference, amount = 120.50m, currency = "ZAR", country = "ZA", description = "Order",
            redirectUrl = "https://shop.example/return/" + reference, declinedUrl = "https://shop.example/declined/" + reference, notificationUrl,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("token").GetString()!, new Uri(body.GetProperty("redirectUrl").GetString()!));
    }

    [Theory]
    [InlineData("/snapplify/payment/request")]
    [InlineData("/snapplify/payment/validate")]
    [InlineData("/snapplify/payment/ipn/validate")]
    public async Task A_wrong_secret_is_refused_with_a_code(string path)
    {
        using var http = _sandbox.Http();

        var response = await http.PostAsync($"{path}?{Credentials("wrong")}&token=x", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHORISED", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_decline_sends_the_shopper_to_the_declined_url_with_the_documented_parameters()
    {
        using var http = _sandbox.Http();
        var (token, redirect) = await RequestAsync(http, "ref-decline", "http://127.0.0.1:9/ipn");
        Assert.Equal("/snapplify/payment/submit", redirect.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(redirect.PathAndQuery)).StatusCode);

        var back = await http.PostAsync(redirect.PathAndQuery, new FormUrlEncodedContent([new("action", "decline")]));

        Assert.Equal(HttpStatusCode.SeeOther, back.StatusCode);
        var location = back.Headers.Location!;
        Assert.Equal("https://shop.example/declined/ref-decline", location.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        Assert.Equal(SandboxFactory.SnapplifyClient, query["client"]);
        Assert.Equal(token, query["token"]);
        Assert.Equal("0", query["success"]);
        Assert.Equal("ref-decline", query["referenceCode"]);
        Assert.Equal(SnapplifySubmitPage.DeclineCode, query["errorCode"]);
        Assert.Null(query["secret"]);

        var validated = await http.PostAsync($"/snapplify/payment/validate?{Credentials()}&token={token}", null);
        var payment = JsonDocument.Parse(await validated.Content.ReadAsStringAsync()).RootElement.GetProperty("payment");
        Assert.Equal("ERROR", payment.GetProperty("paymentState").GetString());
        Assert.Equal(token, payment.GetProperty("authorisationCode").GetString());
        Assert.True(payment.GetProperty("validated").GetBoolean());
    }

    [Fact]
    public async Task An_ipn_not_answered_2xx_is_retried_three_times_then_dropped()
    {
        await using var merchant = await LoopbackServer.AnsweringAsync(500);
        using var http = _sandbox.Http();
        var (token, _) = await RequestAsync(http, "ref-retry", merchant.BaseUrl + "/ipn?mode=test");

        _sandbox.Snapplify.SetState(token, SnapplifyStates.Completed, notify: true);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_sandbox.Snapplify.IpnAttempts.Count(a => a.Token == token) < 4 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }
        await Task.Delay(500); // longer than the retry delay: a fifth attempt would have been made by now
        Assert.Equal([0, 1, 2, 3], _sandbox.Snapplify.IpnAttempts.Where(a => a.Token == token).Select(a => a.Attempt));
        Assert.Equal(4, merchant.Requests.Count);
        var sent = merchant.Requests.First();
        Assert.Equal("/ipn?mode=test", sent.PathAndQuery);
        Assert.Equal("COMPLETED", JsonDocument.Parse(sent.Body).RootElement.GetProperty("payment").GetProperty("paymentState").GetString());

        // ipn/validate vouches for that body exactly, and for nothing else.
        async Task<string> CheckAsync(string body) =>
            await (await http.PostAsync($"/snapplify/payment/ipn/validate?{Credentials()}", new StringContent(body, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync();
        Assert.Equal("VERIFIED", await CheckAsync(sent.Body));
        Assert.Equal("INVALID", await CheckAsync(sent.Body.Replace("COMPLETED", "PAID", StringComparison.Ordinal)));
    }
}
