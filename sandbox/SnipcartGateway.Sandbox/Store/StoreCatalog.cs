namespace SnipcartGateway.Sandbox.Store;

/// <summary>The demo store's products. Prices live on the server, as Snipcart re-checks them against the site.</summary>
public static class StoreCatalog
{
    public sealed record Product(string Id, string Name, string Type, IReadOnlyDictionary<string, decimal> Prices);

    public static IReadOnlyList<string> Currencies { get; } = ["usd", "eur", "jpy"];

    public static IReadOnlyList<Product> Products { get; } =
    [
        new("dawn-print", "Rosy-Fingered Dawn at Louse Point", "Physical", Prices(49.95m, 45.00m, 7200m)),
        new("starry-night", "Starry Night", "Physical", Prices(79.95m, 72.50m, 11500m)),
        new("sandbox-mug", "Sandbox mug", "Physical", Prices(12.50m, 11.90m, 1800m)),
        new("field-guide", "Field guide (e-book)", "Digital", Prices(9.99m, 8.99m, 1200m)),
    ];

    public static Product? Find(string? id) => Products.FirstOrDefault(p => p.Id == id);

    private static Dictionary<string, decimal> Prices(decimal usd, decimal eur, decimal jpy) =>
        new(StringComparer.OrdinalIgnoreCase) { ["usd"] = usd, ["eur"] = eur, ["jpy"] = jpy };
}
