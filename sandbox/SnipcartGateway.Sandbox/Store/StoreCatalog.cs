namespace SnipcartGateway.Sandbox.Store;

/// <summary>The demo store's products. Prices live on the server, as Snipcart re-checks them against the site.</summary>
public static class StoreCatalog
{
    public sealed record Product(string Id, string Name, string Type, IReadOnlyDictionary<string, decimal> Prices);

    /// <summary>ZAR and KES for Snapplify Pay (South Africa, Kenya).</summary>
    public static IReadOnlyList<string> Currencies { get; } = ["usd", "eur", "jpy", "zar", "kes"];

    public static IReadOnlyList<Product> Products { get; } =
    [
        new("dawn-print", "Rosy-Fingered Dawn at Louse Point", "Physical", Prices(49.95m, 45.00m, 7200m, 899.00m, 6450.00m)),
        new("starry-night", "Starry Night", "Physical", Prices(79.95m, 72.50m, 11500m, 1449.00m, 10350.00m)),
        new("sandbox-mug", "Sandbox mug", "Physical", Prices(12.50m, 11.90m, 1800m, 229.00m, 1600.00m)),
        new("field-guide", "Field guide (e-book)", "Digital", Prices(9.99m, 8.99m, 1200m, 179.00m, 1290.00m)),
    ];

    public static Product? Find(string? id) => Products.FirstOrDefault(p => p.Id == id);

    private static Dictionary<string, decimal> Prices(decimal usd, decimal eur, decimal jpy, decimal zar, decimal kes) =>
        new(StringComparer.OrdinalIgnoreCase) { ["usd"] = usd, ["eur"] = eur, ["jpy"] = jpy, ["zar"] = zar, ["kes"] = kes };
}
