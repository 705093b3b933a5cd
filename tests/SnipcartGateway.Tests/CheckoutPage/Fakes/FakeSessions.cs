using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Tests.CheckoutPage.Fakes;

/// <summary>Payment sessions shaped like Snipcart's documented example, with every item type present.</summary>
public static class FakeSessions
{
    public const string BackUrl = "https://shop.example/#/checkout";

    public static SnipcartItem Item(string name, decimal unitPrice, decimal quantity = 1, string type = "Physical") =>
        new() { Name = name, UnitPrice = unitPrice, Quantity = quantity, Type = type, Amount = unitPrice * quantity };

    /// <summary>
    /// 2 × 49.95 book + 12.00 e-book, −10.00 discount, 8.12 tax, 15.00 shipping: 125.02 USD.
    /// </summary>
    public static SnipcartPaymentSession Standard() => Create(
        "en",
        "usd",
        125.02m,
        Item("Rosy-Fingered Dawn at Louse Point", 49.95m, 2),
        Item("Field Notes (e-book)", 12.00m, 1, "Digital"),
        Item("SUMMER10", -10.00m, 1, "Discount"),
        Item("Sales tax", 8.12m, 1, "Tax"),
        Item("Express shipping", 15.00m, 1, "Shipping"));

    public static SnipcartPaymentSession Create(string language, string currency, decimal amount, params SnipcartItem[] items) => new()
    {
        Id = "b2eb036a-842ee242-0d2d-4fad-bc9a-de16411fc6d1",
        PaymentAuthorizationRedirectUrl = BackUrl,
        Invoice = new SnipcartInvoice
        {
            Email = "john.doe@example.com",
            Language = language,
            Currency = currency,
            Amount = amount,
            TargetId = "226086da-57be-4b92-b950-5fd632be7767",
            Items = items,
            BillingAddress = new SnipcartAddress
            {
                Name = "John",
                Surname = "Doe",
                StreetAndNumber = "123 Street",
                PostalCode = "12345",
                City = "Cupertino",
                Region = "CA",
                Country = "US",
            },
            ShippingAddress = new SnipcartAddress
            {
                Name = "Jane Doe",
                StreetAndNumber = "9 Harbour Road",
                PostalCode = "90210",
                City = "Beverly Hills",
                Region = "CA",
                Country = "US",
            },
        },
    };

    public static SnipcartPaymentSession WithBillingCountry(this SnipcartPaymentSession session, string country) =>
        session with { Invoice = session.Invoice with { BillingAddress = session.Invoice.BillingAddress! with { Country = country } } };

    public static SnipcartPaymentSession WithBackUrl(this SnipcartPaymentSession session, string? backUrl) =>
        session with { PaymentAuthorizationRedirectUrl = backUrl };

    public static SnipcartPaymentSession WithFirstItemName(this SnipcartPaymentSession session, string name)
    {
        var items = session.Invoice.Items.ToList();
        items[0] = items[0] with { Name = name };
        return session with { Invoice = session.Invoice with { Items = items } };
    }
}
