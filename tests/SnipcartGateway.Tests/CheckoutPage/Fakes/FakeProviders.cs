using Moq;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Tests.CheckoutPage.Fakes;

/// <summary>
/// A registry with one provider, "fakepay" ("FakePay"), that supports every mode and currency except
/// billing addresses in <see cref="UnsupportedCountry"/>.
/// </summary>
public static class FakeProviders
{
    public const string Id = "fakepay";
    public const string Name = "FakePay";
    public const string UnsupportedCountry = "AQ";

    public static IProviderRegistry Registry()
    {
        var provider = new Mock<IPaymentProvider>(MockBehavior.Strict);
        provider.SetupGet(p => p.Id).Returns(Id);
        provider.SetupGet(p => p.DisplayName).Returns(Name);
        provider.SetupGet(p => p.Capabilities).Returns(new ProviderCapabilities(Refunds: true, PartialRefunds: true));
        provider
            .Setup(p => p.Supports(It.IsAny<PaymentMode>(), It.IsAny<string>(), It.IsAny<string?>()))
            .Returns((PaymentMode _, string _, string? country) => country != UnsupportedCountry);

        var registry = new Mock<IProviderRegistry>(MockBehavior.Strict);
        registry.SetupGet(r => r.All).Returns([provider.Object]);
        registry
            .Setup(r => r.Find(It.IsAny<string?>()))
            .Returns((string? id) => string.Equals(id, Id, StringComparison.OrdinalIgnoreCase) ? provider.Object : null);
        registry
            .Setup(r => r.AvailableFor(It.IsAny<PaymentMode>(), It.IsAny<string>(), It.IsAny<string?>()))
            .Returns((PaymentMode mode, string currency, string? country) =>
                provider.Object.Supports(mode, currency, country) ? [provider.Object] : []);
        return registry.Object;
    }
}
