using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers;

/// <summary>
/// The settings every provider shares, in one shape: <c>Providers__{Id}__Enabled</c>, <c>__Currencies</c> and
/// <c>__Countries</c> (comma lists; empty Countries means any billing country), and per mode
/// <c>Providers__{Id}__Test__…</c> / <c>__Live__…</c> with <c>BaseUrl</c> among them. A mode is offered only when its
/// credentials are set. Each provider subclasses this with its own <typeparamref name="TMode"/>.
/// </summary>
public abstract class ProviderOptions<TMode> where TMode : ProviderModeOptions, new()
{
    public bool Enabled { get; set; }

    /// <summary>Comma list of ISO-4217 codes; unset means <see cref="DefaultCurrencies"/>.</summary>
    public string? Currencies { get; set; }

    /// <summary>Comma list of ISO-3166 alpha-2 billing countries; unset or empty means any.</summary>
    public string? Countries { get; set; }

    public TMode Test { get; set; } = new();
    public TMode Live { get; set; } = new();

    /// <summary>The currencies offered when <see cref="Currencies"/> is not set; empty means any.</summary>
    protected virtual IReadOnlyList<string> DefaultCurrencies => [];

    public TMode For(PaymentMode mode) => mode == PaymentMode.Live ? Live : Test;

    /// <summary>Enabled, and the mode's credentials are set.</summary>
    public bool Offers(PaymentMode mode) => Enabled && For(mode).IsConfigured;

    public IReadOnlySet<string> CurrencyList => ParseList(Currencies, DefaultCurrencies);

    public IReadOnlySet<string> CountryList => ParseList(Countries, DefaultCountries);

    /// <summary>Billing countries offered when <see cref="Countries"/> is unset; empty means any.</summary>
    protected virtual IReadOnlyList<string> DefaultCountries => [];

    /// <summary>Offered in this mode, for this currency and billing country (a missing country fits only when no
    /// country list is set).</summary>
    public bool Supports(PaymentMode mode, string currency, string? billingCountry)
    {
        if (!Offers(mode))
        {
            return false;
        }
        var currencies = CurrencyList;
        var countries = CountryList;
        return (currencies.Count == 0 || currencies.Contains(currency.Trim().ToUpperInvariant()))
            && (countries.Count == 0 || (billingCountry is not null && countries.Contains(billingCountry.Trim().ToUpperInvariant())));
    }

    /// <summary>Every missing or contradictory setting, each by its full name (<paramref name="prefix"/> is
    /// "Providers__{Id}"). Only checked for an enabled provider.</summary>
    public virtual IEnumerable<string> Problems(string prefix)
    {
        if (!Enabled)
        {
            yield break;
        }
        foreach (var code in Split(Currencies).Where(c => c.Length != 3 || !c.All(char.IsAsciiLetter)))
        {
            yield return $"{prefix}__Currencies: '{code}' is not an ISO-4217 currency code.";
        }
        foreach (var country in Split(Countries).Where(c => c.Length != 2 || !c.All(char.IsAsciiLetter)))
        {
            yield return $"{prefix}__Countries: '{country}' is not an ISO-3166 two-letter country code.";
        }
        foreach (var problem in Test.Problems(prefix + "__Test").Concat(Live.Problems(prefix + "__Live")))
        {
            yield return problem;
        }
        if (!Test.IsConfigured && !Live.IsConfigured && !Test.IsPartlyConfigured && !Live.IsPartlyConfigured)
        {
            yield return $"{prefix}__Enabled is true but neither mode has credentials: set {string.Join(", ", Test.CredentialNames.Select(n => $"{prefix}__Test__{n}"))} (or the same under __Live__).";
        }
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static HashSet<string> ParseList(string? list, IReadOnlyList<string> fallback) =>
        new(list is null ? fallback : Split(list).Select(s => s.ToUpperInvariant()), StringComparer.Ordinal);
}

/// <summary>One mode's settings (<c>Providers__{Id}__Test__…</c> or <c>__Live__…</c>).</summary>
public abstract class ProviderModeOptions
{
    /// <summary>The provider's API for this mode. Subclasses set the provider's documented default.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The credential settings this mode needs (names under the mode's section) and their values.</summary>
    protected abstract IEnumerable<(string Name, string? Value)> Credentials { get; }

    public IEnumerable<string> CredentialNames => Credentials.Select(c => c.Name);

    /// <summary>Every credential is set, and the base URL is usable.</summary>
    public virtual bool IsConfigured => Credentials.All(c => !string.IsNullOrWhiteSpace(c.Value)) && BaseUri is not null;

    /// <summary>Some credentials are set and some are missing: a mistake, reported at start-up.</summary>
    public virtual bool IsPartlyConfigured =>
        Credentials.Any(c => !string.IsNullOrWhiteSpace(c.Value)) && !Credentials.All(c => !string.IsNullOrWhiteSpace(c.Value));

    /// <summary>The base URL without a trailing slash, or null when it is not an absolute http(s) URL.</summary>
    public Uri? BaseUri =>
        Uri.TryCreate(BaseUrl?.Trim().TrimEnd('/'), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri : null;

    /// <summary>Missing or contradictory settings of this mode, by full name (<paramref name="prefix"/> is
    /// "Providers__{Id}__Test").</summary>
    public virtual IEnumerable<string> Problems(string prefix)
    {
        var credentials = Credentials.ToList();
        var anySet = credentials.Any(c => !string.IsNullOrWhiteSpace(c.Value));
        if (anySet)
        {
            foreach (var (name, _) in credentials.Where(c => string.IsNullOrWhiteSpace(c.Value)))
            {
                yield return $"{prefix}__{name} is missing (other {prefix}__* credentials are set).";
            }
            if (BaseUri is null)
            {
                yield return $"{prefix}__BaseUrl must be an absolute http(s) URL, not '{BaseUrl}'.";
            }
        }
    }
}
