using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace SnipcartGateway.Storage;

/// <summary>Chooses credentials and endpoint for the SDK's <see cref="TableServiceClient"/> from configuration.</summary>
public static class TableStorageFactory
{
    public const string TableServiceUriKey = "Storage:TableServiceUri";
    public const string ClientIdKey = "Storage:ClientId";
    public const string ConnectionStringKey = "Storage:ConnectionString";
    public const string WebJobsStorageKey = "AzureWebJobsStorage";
    public const string WebJobsTableServiceUriKey = "AzureWebJobsStorage:tableServiceUri";
    public const string WebJobsClientIdKey = "AzureWebJobsStorage:clientId";

    private const string SettingsHelp =
        "Set AzureWebJobsStorage or Storage__ConnectionString to a storage connection string " +
        "(UseDevelopmentStorage=true for Azurite), or Storage__TableServiceUri to use a managed identity.";

    /// <exception cref="InvalidOperationException">No setting, or an unusable one; the message names the settings.</exception>
    public static TableServiceClient Create(IConfiguration configuration, TokenCredential? credential = null, TableClientOptions? options = null)
    {
        if (Value(configuration, TableServiceUriKey) is { } serviceUri)
        {
            return FromServiceUri(TableServiceUriKey, serviceUri, Value(configuration, ClientIdKey), credential, options);
        }
        if (Value(configuration, ConnectionStringKey) is { } connectionString)
        {
            return FromConnectionString("Storage__ConnectionString", connectionString, options);
        }
        if (Value(configuration, WebJobsStorageKey) is { } webJobs)
        {
            return FromConnectionString(WebJobsStorageKey, webJobs, options);
        }
        if (Value(configuration, WebJobsTableServiceUriKey) is { } webJobsUri)
        {
            return FromServiceUri("AzureWebJobsStorage__tableServiceUri", webJobsUri, Value(configuration, WebJobsClientIdKey), credential, options);
        }
        throw new InvalidOperationException("Table storage is not configured. " + SettingsHelp);
    }

    private static TableServiceClient FromServiceUri(string setting, string value, string? clientId, TokenCredential? credential, TableClientOptions? options)
    {
        // Azure.Core only sends bearer tokens over https; refusing http here names the setting instead of failing later.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{setting} must be an absolute https URI such as https://<account>.table.core.windows.net. " + SettingsHelp);
        }
        credential ??= new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
        return new TableServiceClient(uri, credential, options ?? DefaultOptions());
    }

    private static TableServiceClient FromConnectionString(string setting, string value, TableClientOptions? options)
    {
        try
        {
            return new TableServiceClient(value, options ?? DefaultOptions());
        }
        // The SDK's own messages are not passed on: they are not documented to keep the account key out.
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"{setting} is not a usable storage connection string: its AccountKey is not valid base64. " + SettingsHelp, ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{setting} is not a usable storage connection string ({ex.GetType().Name}). " + SettingsHelp, ex);
        }
    }

    /// <summary>
    /// The SDK's pipeline with the retry settings the gateway used before it moved to the SDK: storage throttles
    /// (503) and times out often enough to retry a few times, but a try must not hang for the SDK's default
    /// 100 s while a webhook caller waits.
    /// </summary>
    public static TableClientOptions DefaultOptions()
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 4;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    private static string? Value(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;
}
