using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.Snapplify;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Providers.Snapplify;

/// <summary>the secret as it travels in the query string (URL-escaped) is scrubbed too.</summary>
public sealed class SnapplifyEscapedSecretTests
{
    private const string Secret = "snap+Secret/with=Chars";

    private static ServiceProvider Build(string baseUrl) =>
        new ServiceCollection().AddLogging().AddSnapplifyProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:Snapplify:Enabled"] = "true",
            ["Providers:Snapplify:Test:BaseUrl"] = baseUrl,
            ["Providers:Snapplify:Test:Client"] = "review3-client",
            ["Providers:Snapplify:Test:Secret"] = Secret,
        }).Build()).BuildServiceProvider();

    private static ProviderPaymentRequest Request(string paymentRef) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        Amount = new Money(899m, "ZAR"),
        Description = "Order",
        Invoice = new SnipcartInvoice { Currency = "zar", Amount = 899m, BillingAddress = new SnipcartAddress { Country = "za" } },
        ReturnUrl = new Uri("https://gw.example/api/checkout/return/" + paymentRef),
        CancelUrl = new Uri("https://gw.example/api/checkout/cancel/" + paymentRef),
        NotificationUrl = new Uri("https://gw.example/api/providers/snapplify/notifications?mode=test"),
    };

    [Fact]
    public async Task an_answer_echoing_the_request_url_does_not_carry_the_escaped_secret_into_messages()
    {
        var escaped = Uri.EscapeDataString(Secret);
        await using var snapplify = await LoopbackServer.AnsweringAsync(400,
            $$"""{"code":"INVALID_REQUEST","message":"Could not read /payment/request?client=review3-client&secret={{escaped}}"}""");
        await using var services = Build(snapplify.BaseUrl);

        var ex = await Assert.ThrowsAsync<SnapplifyException>(() => services.GetRequiredService<IPaymentProvider>().CreatePaymentAsync(Request("pay_review3")));

        Assert.Contains(escaped, Assert.Single(snapplify.Requests).PathAndQuery); // it did travel escaped
        var everything = ex + "\n" + ex.ShopperMessage + "\n" + ex.Error?.Message;
        Assert.Contains("INVALID_REQUEST", everything);
        Assert.DoesNotContain(escaped, everything);
        Assert.DoesNotContain(Secret, everything);
    }
    [Fact]
    public async Task a_validate_answer_quoting_the_secret_leaves_it_in_no_failure_message_or_kept_data()
    {
        await using var snapplify = await LoopbackServer.AnsweringAsync(200,
            $$$"""{"payment":{"referenceCode":"pay_review3","authorisationCode":null,"amount":899.00,"currency":"ZAR","paymentState":"ERROR","errorCode":"CONFIG","errorMessage":"Client review3-client with secret {{{Secret}}} may not take this card."}}""");
        await using var services = Build(snapplify.BaseUrl);

        var seen = await services.GetRequiredService<IPaymentProvider>().GetPaymentAsync(new ProviderPaymentLookup
        {
            PaymentRef = "pay_review3", Mode = PaymentMode.Test, ProviderPaymentId = "token-1", FinalCheck = true,
        });

        Assert.Equal(PaymentStatus.Failed, seen.Status);
        // The failure message goes to Snipcart (shown to the shopper); the data is kept on the attempt.
        var everything = seen.FailureMessage + "\n" + string.Join("\n", seen.ProviderData!.Values);
        Assert.Contains("may not take this card", everything);
        Assert.DoesNotContain(Secret, everything);
    }
}
