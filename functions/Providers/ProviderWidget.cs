namespace SnipcartGateway.Providers;

/// <summary>
/// What the checkout page needs to render a provider's payment widget: which of the page's widget renderers to use
/// (<paramref name="Kind"/>, e.g. "jpmsmartpay"), the script to load (its origin must be among the provider's
/// <see cref="IPaymentProvider.WidgetOrigins"/>), and the opaque values the script takes (a checkout token, a
/// transaction id). Never a secret: all of it reaches the browser. The page never confirms from the widget's
/// callbacks; it asks the server, which asks the provider.
/// </summary>
public sealed record ProviderWidget(string Kind, Uri ScriptUrl, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>The flat shape the page gets: the values, plus <c>kind</c> and <c>scriptUrl</c>.</summary>
    public IReadOnlyDictionary<string, string> ToPageModel()
    {
        var model = new Dictionary<string, string>(Values, StringComparer.Ordinal)
        {
            ["kind"] = Kind,
            ["scriptUrl"] = ScriptUrl.AbsoluteUri,
        };
        return model;
    }

    /// <summary>scheme://host[:port] of a URL, as a CSP source.</summary>
    public static string OriginOf(Uri url) => url.GetLeftPart(UriPartial.Authority);
}
