using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers;

/// <summary>
/// What every provider shares in settings: <c>Providers__{Id}__Enabled</c>, <c>__Currencies</c> and
/// <c>__Countries</c> (comma lists; empty means any). Credentials live under <c>__Test__*</c> and
/// <c>__Live__*</c> and are read by each provider, which decides whether a mode is configured.
/// </summary>
public sealed record ProviderSettings(bool Enabled, IReadOnlySet<string> Currencies, IReadOnlySet<string> Countries)
{
    public static ProviderSettings Read(IConfiguration configuration, string providerId)
    {
        var section = configuration.GetSection("Providers").GetSection(providerId);
        var enabledText = section["Enabled"];
        bool enabled = false;
        if (enabledText is not null && !bool.TryParse(enabledText, out enabled))
        {
            throw new InvalidOperationException($"Providers__{providerId}__Enabled must be true or false, not '{enabledText}'.");
        }
        return new ProviderSettings(
            enabled,
            ParseList(section["Currencies"], CurrencyCodes.Normalize),
            ParseList(section["Countries"], c => c.Trim().ToUpperInvariant()));
    }

    /// <summary>True when the currency and the billing country are allowed (an unknown country is allowed only
    /// when no country list is set).</summary>
    public bool Fits(string currency, string? billingCountry) =>
        Enabled &&
        (Currencies.Count == 0 || Currencies.Contains(CurrencyCodes.Normalize(currency))) &&
        (Countries.Count == 0 || (billingCountry is not null && Countries.Contains(billingCountry.Trim().ToUpperInvariant())));

    private static HashSet<string> ParseList(string? value, Func<string, string> normalize) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(normalize).ToHashSet(StringComparer.Ordinal);
}
