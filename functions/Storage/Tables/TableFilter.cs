namespace SnipcartGateway.Storage.Tables;

// Placeholder until the Table Storage work lands its TableFilter (same API).
public static class TableFilter
{
    public static string Equal(string property, string value) => $"{property} eq '{value.Replace("'", "''")}'";
}
