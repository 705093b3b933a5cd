using Azure.Core;

namespace SnipcartGateway.Storage.Tables;

/// <summary>
/// Pipeline options for <see cref="TableServiceClient"/>: Azure.Core's retry, diagnostics and transport settings,
/// plus the Table service REST version we speak.
/// </summary>
public sealed class TableClientOptions : ClientOptions
{
    public enum ServiceVersion
    {
        V2019_02_02 = 1,
        V2020_12_06 = 2,
    }

    public TableClientOptions(ServiceVersion version = ServiceVersion.V2020_12_06)
    {
        Version = version;
        // Throttling (503) and timeouts are common on storage: a few exponential retries, as the Azure SDK does.
        Retry.Mode = Azure.Core.RetryMode.Exponential;
        Retry.MaxRetries = 4;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(10);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }

    public ServiceVersion Version { get; }

    internal string VersionString => Version switch
    {
        ServiceVersion.V2019_02_02 => "2019-02-02",
        ServiceVersion.V2020_12_06 => "2020-12-06",
        _ => throw new NotSupportedException($"Unknown Table service version {Version}."),
    };
}
