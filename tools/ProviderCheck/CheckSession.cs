using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.ProviderCheck;

/// <summary>
/// One run against one provider: the adapter under test (the gateway's own), what was found, and how the payment gets
/// paid (by the merchant's own hand in the provider's test environment, or by the sandbox's shopper when the settings
/// point at the sandbox).
/// </summary>
public sealed class CheckSession(IPaymentProvider provider, Uri publicBaseUrl, IShopper shopper, TextWriter output, AnswerLog log)
{
    private readonly List<CheckResult> _results = [];

    public IPaymentProvider Provider => provider;

    public IShopper Shopper => shopper;

    public IReadOnlyList<CheckResult> Results => _results;

    public void Record(string id, string inference, CheckOutcome outcome, string evidence)
    {
        evidence = log.Scrub(evidence);
        _results.Add(new CheckResult(id, inference, outcome, evidence));
        output.WriteLine($"{outcome switch { CheckOutcome.Confirmed => "confirmed   ", CheckOutcome.Contradicted => "CONTRADICTED", _ => "not tried   " }} {id}: {evidence}");
    }

    /// <summary>Runs one check: its function answers null when the inference held, or what contradicts it. A provider
    /// error is a contradiction with the provider's message (the gateway depends on the call working).</summary>
    public async Task CheckAsync(string id, string inference, Func<Task<string?>> check)
    {
        try
        {
            var contradiction = await check();
            Record(id, inference, contradiction is null ? CheckOutcome.Confirmed : CheckOutcome.Contradicted, contradiction ?? "as inferred");
        }
        catch (NotTriedException ex)
        {
            Record(id, inference, CheckOutcome.NotTried, ex.Message);
        }
        catch (ProviderException ex)
        {
            Record(id, inference, CheckOutcome.Contradicted, $"{ex.GetType().Name} ({(int?)ex.StatusCode} {ex.ErrorCode}): {ex.Message}");
        }
    }

    /// <summary>A payment of <paramref name="amount"/> as the gateway would ask for it, with our usual return URLs.</summary>
    public ProviderPaymentRequest PaymentRequest(Money amount, SnipcartInvoice invoice)
    {
        var paymentRef = PaymentReferences.NewPaymentRef();
        var gateway = publicBaseUrl.AbsoluteUri.TrimEnd('/');
        return new ProviderPaymentRequest
        {
            PaymentRef = paymentRef,
            Mode = PaymentMode.Test,
            Amount = amount,
            Description = "snipcart-gateway provider check",
            Invoice = invoice,
            ReturnUrl = new Uri($"{gateway}/api/checkout/return/{paymentRef}"),
            CancelUrl = new Uri($"{gateway}/api/checkout/cancel/{paymentRef}"),
            NotificationUrl = new Uri($"{gateway}/api/providers/{provider.Id}/notifications?mode=test"),
            Language = invoice.Language,
        };
    }

    public static ProviderPaymentLookup LookupOf(ProviderPaymentRequest request, ProviderPaymentCreated created, IReadOnlyDictionary<string, string>? returned = null, bool finalCheck = false) => new()
    {
        PaymentRef = request.PaymentRef,
        Mode = request.Mode,
        ProviderPaymentId = created.ProviderPaymentId,
        ProviderData = created.ProviderData ?? ProviderData.Empty,
        ReturnParameters = returned ?? ProviderData.Empty,
        Amount = request.Amount,
        FinalCheck = finalCheck,
    };
}

/// <summary>A check that could not run (no refund API, the payment was not paid by hand...).</summary>
public sealed class NotTriedException(string why) : Exception(why);
