using System.Net.Http.Json;
using Microsoft.AspNetCore.WebUtilities;
using SnipcartGateway.Providers;

namespace SnipcartGateway.ProviderCheck;

/// <summary>Whoever pays the check's payment.</summary>
public interface IShopper
{
    /// <summary>Pays <paramref name="created"/>; answers the parameters the provider's return brought (redirect
    /// providers), or null when there is no return to read.</summary>
    Task<IReadOnlyDictionary<string, string>?> PayAsync(ProviderPaymentCreated created);
}

/// <summary>Against the sandbox (<c>PROVIDER_CHECK_SANDBOX=1</c>): pays as a shopper on the simulators' own pages do
/// (the hosted page's approve form, the simulated widget's submit), and reads the return the provider sends back.</summary>
public sealed class SandboxShopper : IShopper
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    public async Task<IReadOnlyDictionary<string, string>?> PayAsync(ProviderPaymentCreated created)
    {
        if (created.RedirectUrl is { } page)
        {
            using var approved = await _http.PostAsync(page, new FormUrlEncodedContent([new("action", "approve")]));
            var back = approved.Headers.Location ?? throw new InvalidOperationException($"The simulated page answered {(int)approved.StatusCode} without sending the shopper back.");
            return QueryHelpers.ParseQuery(back.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        }
        if (created.Widget is { } widget && widget.Values.TryGetValue("checkoutToken", out var token))
        {
            using var submitted = await _http.PostAsJsonAsync(new Uri(widget.ScriptUrl, $"widget/checkouts/{Uri.EscapeDataString(token)}/submit"), new { outcome = "pay" });
            submitted.EnsureSuccessStatusCode();
            return null;
        }
        throw new InvalidOperationException("The payment has neither a redirect URL nor a widget.");
    }
}

/// <summary>Against the provider's test environment: the merchant pays by hand (test card / test account) and presses
/// Enter. A widget cannot be rendered from a console: those checks are not tried.</summary>
public sealed class ManualShopper(TextWriter output, TextReader input) : IShopper
{
    public async Task<IReadOnlyDictionary<string, string>?> PayAsync(ProviderPaymentCreated created)
    {
        if (created.RedirectUrl is not { } page)
        {
            throw new NotTriedException("a widget payment is paid on the checkout page, not from this console");
        }
        output.WriteLine($"Pay this test payment by hand (the provider's test card or account), then press Enter:\n  {page.OriginalString}");
        await input.ReadLineAsync();
        return null;
    }
}
