using Microsoft.AspNetCore.Http.HttpResults;
using SnipcartGateway.Api;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary><c>POST /api/checkout/payments</c> answers the provider's redirectUrl exactly as the provider
/// returned it (the Snapplify and Smartpay contracts), not a re-formatted Uri.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RedirectUrlAsReturnedTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Theory]
    [InlineData("https://checkout.smartpay.example")]
    [InlineData("https://pay.snapplify.example/payment/submit?client=c&token=t&note=two%20words&name=%E2%9C%93")]
    public async Task the_redirect_url_is_answered_as_the_provider_returned_it(string returned)
    {
        _provider.AfterCreate = created => created with { RedirectUrl = new Uri(returned) };
        var (_, token) = _h.NewSession();

        var result = await CheckoutApi.StartAsync(new CheckoutApi.StartPaymentBody(token, "sandboxpay", "test", _h.Sig(token: token)), _h.Checkout, CancellationToken.None);

        var ok = Assert.IsType<Ok<CheckoutApi.StartPaymentResponse>>(result);
        Assert.Equal(returned, ok.Value!.RedirectUrl);
    }
}
