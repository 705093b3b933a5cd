using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Tests.Providers;

/// <summary>What a provider shows the shopper about the order: Snipcart's invoice number first, then the products,
/// never longer than the rule allows; without a number, the products alone as before.</summary>
public sealed class OrderDescriptionTests
{
    private static SnipcartInvoice Invoice(string? number, params (string Name, decimal Quantity, string Type)[] items) => new()
    {
        Currency = "usd",
        Amount = 10m,
        InvoiceNumber = number,
        Items = items.Select(i => new SnipcartItem { Name = i.Name, Quantity = i.Quantity, Type = i.Type }).ToList(),
    };

    public static TheoryData<string?, string, string> Descriptions => new()
    {
        { "SNIP-1001", "Shirt", "Order SNIP-1001: 2 x Shirt" },
        { "  SNIP-1001 ", "Shirt", "Order SNIP-1001: 2 x Shirt" },
        { null, "Shirt", "2 x Shirt" },
        { "", "Shirt", "2 x Shirt" },
        { "SNIP-1001", new string('x', 110), "Order SNIP-1001 (1 item(s))" },
        { null, new string('x', 130), "Order of 1 item(s)" },
        // Not a number Snipcart makes (too long, a line break): left out rather than shown.
        { new string('9', 41), "Shirt", "2 x Shirt" },
        { "SNIP-1\n001", "Shirt", "2 x Shirt" },
    };

    [Theory]
    [MemberData(nameof(Descriptions))]
    public void The_description_starts_with_the_orders_number_when_the_session_has_one(string? number, string product, string expected)
    {
        var description = OrderDescription.For(Invoice(number, (product, 2m, "Physical"), ("Sales tax", 1m, "Tax")));

        Assert.Equal(expected, description);
        Assert.True(description.Length <= OrderDescription.MaxLength);
    }

    [Fact]
    public void Taxes_shipping_and_discounts_are_not_products()
    {
        var invoice = Invoice("SNIP-7", ("Book", 1m, "Physical"), ("E-book", 1m, "Digital"), ("Express", 1m, "Shipping"), ("SUMMER10", 1m, "Discount"));

        Assert.Equal("Order SNIP-7: 1 x Book, 1 x E-book", OrderDescription.For(invoice));
    }

    [Theory]
    [InlineData("SNIP-1001", "SNIP-1001")]
    [InlineData(" SNIP-1001\t", "SNIP-1001")]
    [InlineData(null, null)]
    [InlineData("   ", null)]
    [InlineData("SNIP-\u0007", null)]
    public void The_number_is_snipcarts_invoice_number_trimmed(string? invoiceNumber, string? expected) =>
        Assert.Equal(expected, OrderDescription.NumberOf(Invoice(invoiceNumber)));
}
