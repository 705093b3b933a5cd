using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.ProviderCheck;

/// <summary>Smartpay's inferences (docs/providers/smartpay.md, "What was inferred"), each settled by one check.</summary>
public static class SmartpayChecks
{
    public static async Task RunAsync(CheckSession s)
    {
        var created = await CreateAsync(s, "smartpay.create", "a checkout session whose lines (a tax line added to the products) sum to the total is accepted");
        if (created is not { } first)
        {
            return;
        }
        IReadOnlyDictionary<string, string>? returned;
        try
        {
            returned = await s.Shopper.PayAsync(first.Created);
        }
        catch (NotTriedException ex)
        {
            s.Record("smartpay.paid-status", "an approved order is paid for our amount and reference", CheckOutcome.NotTried, ex.Message);
            return;
        }
        var paid = false;
        await s.CheckAsync("smartpay.paid-status", "an approved order is paid (succeeded, or requires_capture under automatic capture only briefly) for our amount and reference", async () =>
        {
            var seen = await s.Provider.GetPaymentAsync(CheckSession.LookupOf(first.Request, first.Created, returned));
            paid = seen.Status == PaymentStatus.Paid;
            return !paid ? $"the approved order is '{seen.ProviderStatus}'"
                : seen.Amount is not { } amount || !amount.SameAs(first.Request.Amount) ? $"the answer says {seen.Amount}, we asked for {first.Request.Amount}"
                : seen.Reference is { } reference && reference != first.Request.PaymentRef ? $"the answer's reference is '{reference}'"
                : null;
        });
        if (paid)
        {
            await s.CheckAsync("smartpay.refund-once", "a refund sent twice under one Idempotency-Key refunds once", async () =>
            {
                var refund = new ProviderRefundRequest
                {
                    PaymentRef = first.Request.PaymentRef,
                    RefundRef = PaymentReferences.NewRefundId(),
                    Mode = first.Request.Mode,
                    ProviderPaymentId = first.Created.ProviderPaymentId,
                    Amount = new Money(100m, "JPY"),
                    PaymentAmount = first.Request.Amount,
                    ProviderData = first.Created.ProviderData ?? ProviderData.Empty,
                };
                var once = await s.Provider.RefundAsync(refund);
                var twice = await s.Provider.RefundAsync(refund);
                var after = await s.Provider.GetPaymentAsync(CheckSession.LookupOf(first.Request, first.Created, returned));
                return once.ProviderRefundId != twice.ProviderRefundId ? $"two refunds were made ({once.ProviderRefundId}, {twice.ProviderRefundId})"
                    : after.RefundedAmount is { } refunded && refunded.Amount != 100m ? $"{refunded} was refunded, not ¥100"
                    : null;
            });
        }

        if (await CreateAsync(s, "smartpay.create-second", "a second checkout session is accepted") is not { } second)
        {
            return;
        }
        await s.CheckAsync("smartpay.cancel-unpaid", "PUT /orders/{id}/cancellation cancels an order awaiting authorisation", async () =>
        {
            var cancelled = await s.Provider.CancelPaymentAsync(new ProviderCancelRequest
            {
                PaymentRef = second.Request.PaymentRef,
                Mode = second.Request.Mode,
                ProviderPaymentId = second.Created.ProviderPaymentId,
                Amount = second.Request.Amount,
                ProviderData = second.Created.ProviderData ?? ProviderData.Empty,
            });
            return cancelled.Canceled ? null : "Smartpay said there was nothing to cancel";
        });
    }

    private static async Task<(ProviderPaymentRequest Request, ProviderPaymentCreated Created)?> CreateAsync(CheckSession s, string id, string inference)
    {
        var address = new SnipcartAddress
        {
            Name = "Taro Yamada", StreetAndNumber = "1-1 Chiyoda", PostalCode = "100-0001", City = "Chiyoda-ku", Region = "Tokyo", Country = "JP", Phone = "+819012345678",
        };
        var request = s.PaymentRequest(new Money(1100m, "JPY"), new SnipcartInvoice
        {
            Currency = "JPY",
            Amount = 1100m,
            Email = "provider-check+test@example.com",
            Language = "ja",
            BillingAddress = address,
            ShippingAddress = address,
            Items =
            [
                new SnipcartItem { Name = "Provider check", UnitPrice = 1000m, Quantity = 1, Type = "Physical" },
                new SnipcartItem { Name = "Consumption tax", UnitPrice = 100m, Quantity = 1, Type = "Tax" },
            ],
        });
        ProviderPaymentCreated? created = null;
        await s.CheckAsync(id, inference, async () =>
        {
            created = await s.Provider.CreatePaymentAsync(request);
            return created.RedirectUrl is null ? "no checkout URL" : null;
        });
        return created is null ? null : (request, created);
    }
}
