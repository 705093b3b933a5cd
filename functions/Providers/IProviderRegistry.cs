using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers;

/// <summary>The providers registered in this app, picked by id or by what an invoice needs.</summary>
public interface IProviderRegistry
{
    /// <summary>Every registered provider, enabled or not.</summary>
    IReadOnlyList<IPaymentProvider> All { get; }

    /// <summary>The provider with this id (case-insensitive), or null.</summary>
    IPaymentProvider? Find(string? providerId);

    /// <summary>The providers that are enabled and fit the mode, currency and billing country, in settings order.</summary>
    IReadOnlyList<IPaymentProvider> AvailableFor(PaymentMode mode, string currency, string? billingCountry);
}
