namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// The parts of an Azure Storage connection string the table client needs: account name, key and table endpoint.
/// Accepts <c>UseDevelopmentStorage=true</c>, or <c>AccountName</c> + <c>AccountKey</c> with either an explicit
/// <c>TableEndpoint</c> or <c>DefaultEndpointsProtocol</c>/<c>EndpointSuffix</c>. Never prints the key.
/// </summary>
public sealed class TableConnectionString
{
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known key (the Storage Emulator's; public, not a secret).</summary>
    public const string DevelopmentAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static readonly Uri DevelopmentTableEndpoint = new("http://127.0.0.1:10002/devstoreaccount1");

    private TableConnectionString(string accountName, string accountKey, Uri tableEndpoint)
    {
        AccountName = accountName;
        AccountKey = accountKey;
        TableEndpoint = tableEndpoint;
    }

    public string AccountName { get; }
    public string AccountKey { get; }
    public Uri TableEndpoint { get; }

    /// <exception cref="FormatException">Names the missing or malformed part, never the key's value.</exception>
    public static TableConnectionString Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The storage connection string is empty.");
        }
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var segment in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = segment.IndexOf('=');
            if (eq <= 0)
            {
                // Only the part's name, if any: the segment might be a pasted key.
                throw new FormatException("The storage connection string has a part that is not 'Name=value'.");
            }
            parts[segment[..eq].Trim()] = segment[(eq + 1)..].Trim();
        }

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && string.Equals(dev, "true", StringComparison.OrdinalIgnoreCase))
        {
            return new TableConnectionString(DevelopmentAccountName, DevelopmentAccountKey, DevelopmentTableEndpoint);
        }

        if (!parts.TryGetValue("AccountName", out var account) || account.Length == 0)
        {
            throw new FormatException(parts.ContainsKey("SharedAccessSignature")
                ? "The storage connection string uses a SharedAccessSignature, which the table client does not support; use AccountName and AccountKey."
                : "The storage connection string has no AccountName.");
        }
        if (!parts.TryGetValue("AccountKey", out var key) || key.Length == 0)
        {
            throw new FormatException($"The storage connection string for account '{account}' has no AccountKey.");
        }
        if (!IsBase64(key))
        {
            throw new FormatException($"The AccountKey in the storage connection string for account '{account}' is not valid base64.");
        }

        Uri endpoint;
        if (parts.TryGetValue("TableEndpoint", out var explicitEndpoint) && explicitEndpoint.Length > 0)
        {
            if (!Uri.TryCreate(explicitEndpoint, UriKind.Absolute, out endpoint!) || endpoint.Scheme is not ("http" or "https"))
            {
                throw new FormatException($"The TableEndpoint in the storage connection string for account '{account}' is not an absolute http(s) URI.");
            }
        }
        else
        {
            var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https").ToLowerInvariant();
            if (protocol is not ("http" or "https"))
            {
                throw new FormatException($"DefaultEndpointsProtocol must be http or https, not '{protocol}'.");
            }
            var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net");
            if (!Uri.TryCreate($"{protocol}://{account}.table.{suffix}", UriKind.Absolute, out endpoint!))
            {
                throw new FormatException($"The storage connection string for account '{account}' does not give a valid table endpoint (check AccountName and EndpointSuffix).");
            }
        }
        return new TableConnectionString(account, key, endpoint);
    }

    public static bool TryParse(string? connectionString, out TableConnectionString? result)
    {
        try
        {
            result = connectionString is null ? null : Parse(connectionString);
        }
        catch (FormatException)
        {
            result = null;
        }
        return result is not null;
    }

    public override string ToString() => $"AccountName={AccountName};TableEndpoint={TableEndpoint}";

    private static bool IsBase64(string value)
    {
        Span<byte> buffer = stackalloc byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
