using SnipcartGateway.Providers;

namespace SnipcartGateway.Tests.Providers;

/// <summary>Which fitting providers the payment-methods answer offers, given which are failing.</summary>
public sealed class ProviderOfferTests
{
    [Theory]
    [InlineData("a,b,c", "", "a,b,c", "")]
    [InlineData("a,b,c", "b", "a,c", "b")]
    [InlineData("a,b,c", "a,c", "b", "a,c")]
    [InlineData("a,b", "a,b", "a,b", "")] // every one failing: all offered, the shopper keeps a way to pay
    [InlineData("a", "a", "a", "")]
    [InlineData("", "", "", "")]
    public void Failing_providers_are_left_out_unless_all_are(string fitting, string failing, string offered, string leftOut)
    {
        static string[] List(string csv) => csv.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var failingSet = List(failing).ToHashSet();

        var (o, l) = ProviderOffer.Choose(List(fitting), failingSet.Contains);

        Assert.Equal(List(offered), o);
        Assert.Equal(List(leftOut), l);
    }
}
