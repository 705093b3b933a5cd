using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.ProviderCheck;

/// <summary>Snapplify Pay's inferences (docs/providers/snapplify.md, "What was inferred"), each settled by one check.</summary>
public static class SnapplifyChecks
{
    public static async Task RunAsync(CheckSession s)
    {
        var request = s.PaymentRequest(new Money(1.00m, "ZAR"), new SnipcartInvoice
        {
            Currency = "ZAR",
            Amount = 1.00m,
            Email = "provider-check@example.com",
            BillingAddress = new SnipcartAddress { Name = "Provider Check", Country = "ZA" },
            Items = [new SnipcartItem { Name = "Provider check", UnitPrice = 1.00m, Quantity = 1, Type = "Digital" }],
        });
        ProviderPaymentCreated? created = null;
        await s.CheckAsync("snapplify.request", "/payment/request answers a token and a redirectUrl to Snapplify's page", async () =>
        {
            created = await s.Provider.CreatePaymentAsync(request);
            return created.ProviderData?.ContainsKey("token") == true ? null : "no token in the answer";
        });
        if (created is null)
        {
            return;
        }

        await s.CheckAsync("snapplify.validate-new", "validate answers a payment still NEW (the final check at expiry may ask about one)", async () =>
        {
            var seen = await s.Provider.GetPaymentAsync(CheckSession.LookupOf(request, created, finalCheck: true));
            return seen.ProviderStatus == "NEW" ? null : $"an unpaid payment is '{seen.ProviderStatus}', not NEW";
        });

        IReadOnlyDictionary<string, string>? returned = null;
        try
        {
            returned = await s.Shopper.PayAsync(created);
        }
        catch (NotTriedException ex)
        {
            s.Record("snapplify.return-token", "the return's token is the request's token and validate's authorisationCode", CheckOutcome.NotTried, ex.Message);
            return;
        }

        ProviderPayment? paid = null;
        if (returned is null)
        {
            s.Record("snapplify.return-token", "the return's token is the request's token and validate's authorisationCode", CheckOutcome.NotTried, "paid by hand: no return was read");
        }
        else
        {
            await s.CheckAsync("snapplify.return-token", "the return's token is the request's token and validate's authorisationCode", async () =>
            {
                var token = returned.GetValueOrDefault("token");
                if (token != created.ProviderData!["token"])
                {
                    return $"the return's token '{token}' is not the request's";
                }
                paid = await s.Provider.GetPaymentAsync(CheckSession.LookupOf(request, created, returned));
                return null;
            });
        }

        await s.CheckAsync("snapplify.paid-state", "a paid payment's state is COMPLETED or PAID, with our amount, currency and referenceCode", async () =>
        {
            paid ??= await s.Provider.GetPaymentAsync(CheckSession.LookupOf(request, created, finalCheck: true));
            return paid.Status != PaymentStatus.Paid ? $"the paid payment is '{paid.ProviderStatus}'"
                : paid.Amount is not { } amount || !amount.SameAs(request.Amount) ? $"the answer says {paid.Amount}, we asked for {request.Amount}"
                : paid.Reference != request.PaymentRef ? $"the answer's referenceCode is '{paid.Reference}'"
                : null;
        });

        await s.CheckAsync("snapplify.validate-again", "validate may be called again for a payment already validated", async () =>
        {
            var again = await s.Provider.GetPaymentAsync(CheckSession.LookupOf(request, created, finalCheck: true));
            return again.Status == PaymentStatus.Paid ? null : $"a second validate says '{again.ProviderStatus}'";
        });

        s.Record("snapplify.refund", "refunds are made in Snapplify's dashboard", CheckOutcome.NotTried, "Snapplify documents no refund API");
        s.Record("snapplify.void", "an unpaid payment is left to expire", CheckOutcome.NotTried, "Snapplify documents no cancel API");
    }
}
