using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.ProviderCheck;

/// <summary>SmartPay by J.P. Morgan's inferences (docs/providers/jpmsmartpay.md, "What was inferred"), each settled by one check.</summary>
public static class JpmSmartPayChecks
{
    public static async Task RunAsync(CheckSession s)
    {
        var created = await CreateAsync(s, "jpmsmartpay.create");
        if (created is null)
        {
            return;
        }
        var (request, checkout) = created.Value;
        await s.CheckAsync("jpmsmartpay.status-get", "the status GET, sent without a body or Content-Type, is answered for the transaction asked about", async () =>
        {
            var seen = await s.Provider.GetPaymentAsync(CheckSession.LookupOf(request, checkout));
            return seen.Status == PaymentStatus.AwaitingShopper ? null : $"a new checkout is '{seen.ProviderStatus}', not CREATED";
        });

        var paid = await PayAsync(s, request, checkout);
        if (paid)
        {
            await s.CheckAsync("jpmsmartpay.refund-modification", "a refund's answer lists our modificationId with its status", async () =>
            {
                var refund = await s.Provider.RefundAsync(new ProviderRefundRequest
                {
                    PaymentRef = request.PaymentRef,
                    RefundRef = PaymentReferences.NewRefundId(),
                    Mode = request.Mode,
                    ProviderPaymentId = checkout.ProviderPaymentId,
                    Amount = new Money(0.50m, request.Amount.Currency),
                    PaymentAmount = request.Amount,
                    ProviderData = checkout.ProviderData ?? ProviderData.Empty,
                });
                return refund.Status == RefundStatus.Failed ? $"the refund was refused: {refund.FailureMessage}" : null;
            });
        }

        var second = await CreateAsync(s, "jpmsmartpay.create-second");
        if (second is not { } unpaid)
        {
            return;
        }
        await s.CheckAsync("jpmsmartpay.cancel-created", "cancelOrRefund cancels a checkout nobody has paid in (CREATED)", async () =>
        {
            var cancelled = await s.Provider.CancelPaymentAsync(new ProviderCancelRequest
            {
                PaymentRef = unpaid.Request.PaymentRef,
                Mode = unpaid.Request.Mode,
                ProviderPaymentId = unpaid.Created.ProviderPaymentId,
                Amount = unpaid.Request.Amount,
                ProviderData = unpaid.Created.ProviderData ?? ProviderData.Empty,
            });
            return cancelled.Canceled ? null
                : $"SmartPay refused to cancel a CREATED checkout ({cancelled.ProviderData?.GetValueOrDefault("cancelRefused")}); the gateway lets such checkouts expire quietly";
        });
    }

    private static async Task<(ProviderPaymentRequest Request, ProviderPaymentCreated Created)?> CreateAsync(CheckSession s, string id)
    {
        var request = s.PaymentRequest(new Money(1.00m, "EUR"), new SnipcartInvoice
        {
            Currency = "EUR",
            Amount = 1.00m,
            Email = "provider-check@example.com",
            Language = "fr",
            BillingAddress = new SnipcartAddress { Name = "Provider Check", StreetAndNumber = "Rue de la Paix 1", PostalCode = "75002", City = "Paris", Country = "FR" },
            Items = [new SnipcartItem { Name = "Provider check", UnitPrice = 1.00m, Quantity = 1, Type = "Digital" }],
        });
        ProviderPaymentCreated? created = null;
        await s.CheckAsync(id, "Create Checkout accepts our body with Accept-Language: en-US and answers a transactionId and a checkoutToken", async () =>
        {
            created = await s.Provider.CreatePaymentAsync(request);
            return created.Widget is null ? "no widget" : null;
        });
        return created is null ? null : (request, created);
    }

    private static async Task<bool> PayAsync(CheckSession s, ProviderPaymentRequest request, ProviderPaymentCreated created)
    {
        const string Inference = "a paid transaction's status answer says CAPTURED (or SETTLED, AUTHORIZATION_COMPLETED) with our amount and currency";
        try
        {
            await s.Shopper.PayAsync(created);
        }
        catch (NotTriedException ex)
        {
            s.Record("jpmsmartpay.paid-status", Inference, CheckOutcome.NotTried, ex.Message);
            s.Record("jpmsmartpay.refund-modification", "a refund's answer lists our modificationId with its status", CheckOutcome.NotTried, "nothing was paid");
            return false;
        }
        var paid = false;
        await s.CheckAsync("jpmsmartpay.paid-status", Inference, async () =>
        {
            var seen = await s.Provider.GetPaymentAsync(CheckSession.LookupOf(request, created));
            paid = seen.Status == PaymentStatus.Paid;
            return !paid ? $"the paid transaction is '{seen.ProviderStatus}'"
                : seen.Amount is not { } amount || !amount.SameAs(request.Amount) ? $"the answer says {seen.Amount}, we asked for {request.Amount}"
                : null;
        });
        return paid;
    }
}
