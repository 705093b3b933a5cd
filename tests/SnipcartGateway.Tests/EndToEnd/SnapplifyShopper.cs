using System.Net;
using SnipcartGateway.Domain;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>A shopper paying with Snapplify Pay through a gateway of the shared stack: a ZAR cart billed to South
/// Africa, the payment started as the page's Pay button does, Snapplify's hosted page, and the way back.</summary>
internal sealed class SnapplifyShopper(GatewayHarness harness, GatewayHost? gateway = null)
{
    public const string Provider = "snapplify";

    private GatewayHost Gateway => gateway ?? harness.Gateway;

    public SnapplifyState Snapplify => harness.Sandbox.Snapplify;

    public (SandboxSession Session, string Token) NewZarSession() =>
        harness.NewSession(unitPrice: 449.50m, currency: "zar", billingCountry: "ZA");

    public async Task<(SandboxSession Session, string PaymentRef, SnapplifySimPayment Payment, Uri RedirectUrl)> StartAsync()
    {
        var (session, token) = NewZarSession();
        var (paymentRef, redirect) = await harness.StartPaymentAsync(token, provider: Provider, gateway: Gateway);
        var payment = Snapplify.FindByReference(paymentRef) ?? throw new InvalidOperationException($"Snapplify has no payment for {paymentRef}.");
        return (session, paymentRef, payment, redirect);
    }

    /// <summary>Clicks a button of Snapplify's hosted page (approve, decline, pending); returns where it sends the browser.</summary>
    public static async Task<Uri> ChooseAsync(Uri redirectUrl, string action)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var answer = await browser.PostAsync(redirectUrl, new FormUrlEncodedContent([new("action", action)]));
        Assert.Equal(HttpStatusCode.SeeOther, answer.StatusCode);
        return answer.Headers.Location!;
    }

    /// <summary>The browser arriving at our return URL with whatever query it carries (redirects not followed).</summary>
    public async Task<HttpResponseMessage> ReturnAsync(Uri returnUrl)
    {
        using var client = Gateway.CreateHttpClient();
        return await client.GetAsync(returnUrl.PathAndQuery.TrimStart('/'));
    }

    /// <summary>The return Snapplify would make for this payment, with some parameters changed.</summary>
    public static Uri ForgedReturn(GatewayHost gateway, string paymentRef, SnapplifySimPayment payment, string? token = null, string? referenceCode = null) =>
        new(gateway.BaseAddress, $"api/checkout/return/{paymentRef}?client={Uri.EscapeDataString(payment.Client)}&token={Uri.EscapeDataString(token ?? payment.Token)}&success=1&referenceCode={Uri.EscapeDataString(referenceCode ?? payment.ReferenceCode)}");

    /// <summary>Posts a body to our IPN URL as Snapplify would.</summary>
    public async Task<HttpResponseMessage> PostIpnAsync(string body, string mode = "test")
    {
        using var client = Gateway.CreateHttpClient();
        return await client.PostAsync($"api/providers/snapplify/notifications?mode={mode}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
    }

    public async Task<PaymentAttempt> AttemptAsync(string paymentRef)
    {
        await using var services = InProcessGateway.For(harness);
        return (await services.Get<IPaymentStore>().GetAttemptAsync(paymentRef))!.Value;
    }
}
