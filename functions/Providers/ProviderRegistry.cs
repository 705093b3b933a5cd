using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers;

/// <summary>The providers registered as <see cref="IPaymentProvider"/> in DI, in registration order.</summary>
public sealed class ProviderRegistry : IProviderRegistry
{
    public ProviderRegistry(IEnumerable<IPaymentProvider> providers)
    {
        All = providers.ToList();
        var duplicate = All.GroupBy(p => p.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two payment providers share the id '{duplicate.Key}'.");
        }
    }

    public IReadOnlyList<IPaymentProvider> All { get; }

    public IPaymentProvider? Find(string? providerId) =>
        string.IsNullOrWhiteSpace(providerId) ? null : All.FirstOrDefault(p => string.Equals(p.Id, providerId, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<IPaymentProvider> AvailableFor(PaymentMode mode, string currency, string? billingCountry) =>
        All.Where(p => p.Supports(mode, currency, billingCountry)).ToList();
}
