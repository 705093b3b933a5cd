using SnipcartGateway.Domain;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Tests.Payments;

/// <summary>The gateway's public URLs that providers, Snipcart and shoppers are given.</summary>
public sealed class GatewayUrlsTests
{
    private const string Ref = "pay_abcdefghijklmnopqrstuvwxyz";

    [Theory]
    [InlineData("https://pay.example.com")]
    [InlineData("https://pay.example.com/")]
    public void Every_url_hangs_off_the_public_base_with_one_slash(string publicBase)
    {
        var urls = new GatewayUrls(new Uri(publicBase), null);

        Assert.Equal("https://pay.example.com/checkout/", urls.CheckoutPage.ToString());
        Assert.Equal($"https://pay.example.com/api/checkout/return/{Ref}", urls.Return(Ref).ToString());
        Assert.Equal($"https://pay.example.com/api/checkout/cancel/{Ref}", urls.Cancel(Ref).ToString());
        Assert.Equal($"https://pay.example.com/api/snipcart/refunds/{Ref}?key=k1", urls.Refunds(Ref, "k1"));
        Assert.Equal("https://pay.example.com/support/", urls.Absolute("/support/"));
        Assert.Equal("https://pay.example.com/support/", urls.Absolute("support/"));
    }

    [Fact]
    public void A_checkout_page_of_its_own_replaces_the_gateways()
    {
        var urls = new GatewayUrls(new Uri("https://pay.example.com"), new Uri("https://shop.example.com/pay/"));

        Assert.Equal("https://shop.example.com/pay/?notice=unknown_payment", urls.NoticePage("unknown_payment"));
        Assert.Equal($"https://shop.example.com/pay/?paymentRef={Ref}", urls.StatusPage(Ref));
        Assert.Equal($"https://pay.example.com/api/checkout/return/{Ref}", urls.Return(Ref).ToString());
    }

    [Theory]
    [InlineData(PaymentMode.Test, "test")]
    [InlineData(PaymentMode.Live, "live")]
    public void The_checkout_link_and_the_notification_url_carry_the_mode_and_escape_what_they_are_given(PaymentMode mode, string wire)
    {
        var urls = new GatewayUrls(new Uri("https://pay.example.com/"), null);

        Assert.Equal($"https://pay.example.com/checkout/?provider=jp%20m&mode={wire}&sig=a%2Bb%2F%3D", urls.CheckoutUrl("jp m", mode, "a+b/="));
        Assert.Equal($"https://pay.example.com/api/providers/jp%20m/notifications?mode={wire}", urls.Notifications("jp m", mode).AbsoluteUri);
        Assert.Equal("https://pay.example.com/checkout/?notice=a%26b", urls.NoticePage("a&b"));
    }
}
