using Azure.Data.Tables;
using Moq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SnipcartGateway.Storage;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StorageServiceCollectionExtensionsTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcw==";

    private static IHost BuildHost(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTableStorage(builder.Configuration);
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task Startup_fails_naming_the_settings_when_none_is_set()
    {
        using var host = BuildHost([]);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("AzureWebJobsStorage", ex.Message);
        Assert.Contains("Storage__ConnectionString", ex.Message);
        Assert.Contains("Storage__TableServiceUri", ex.Message);
    }

    [Theory]
    [InlineData("Storage:ConnectionString", "Storage__ConnectionString")]
    [InlineData("AzureWebJobsStorage", "AzureWebJobsStorage")]
    public async Task Startup_fails_on_an_invalid_connection_string_without_echoing_the_key(string setting, string named)
    {
        using var host = BuildHost(new() { [setting] = "AccountName=shop;AccountKey=" + Key + "!!;" });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(named, ex.Message);
        Assert.Contains("base64", ex.Message);
        Assert.DoesNotContain(Key, ex.Message);
    }

    [Theory]
    [InlineData("Storage:TableServiceUri", "Storage:TableServiceUri")]
    [InlineData("AzureWebJobsStorage:tableServiceUri", "AzureWebJobsStorage__tableServiceUri")]
    public async Task Startup_fails_on_a_table_service_uri_that_is_not_https(string setting, string named)
    {
        using var host = BuildHost(new() { [setting] = "http://shop.table.core.windows.net" });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains(named, ex.Message);
    }

    [Fact]
    public void Settings_are_chosen_in_order_service_uri_then_connection_string_then_AzureWebJobsStorage()
    {
        Dictionary<string, string?> all = new()
        {
            ["Storage:TableServiceUri"] = "https://viauri.table.core.windows.net",
            ["Storage:ClientId"] = "00000000-0000-0000-0000-000000000001",
            ["Storage:ConnectionString"] = $"AccountName=viastorage;AccountKey={Key}",
            ["AzureWebJobsStorage"] = $"AccountName=viawebjobs;AccountKey={Key}",
        };
        Assert.Equal("viauri.table.core.windows.net", Endpoint(all).Host);
        all.Remove("Storage:TableServiceUri");
        Assert.Equal("viastorage.table.core.windows.net", Endpoint(all).Host);
        all.Remove("Storage:ConnectionString");
        Assert.Equal("viawebjobs.table.core.windows.net", Endpoint(all).Host);
        all.Remove("AzureWebJobsStorage");
        all["AzureWebJobsStorage:tableServiceUri"] = "https://identitybased.table.core.windows.net";
        all["AzureWebJobsStorage:credential"] = "managedidentity";
        all["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000002";
        Assert.Equal("identitybased.table.core.windows.net", Endpoint(all).Host);

        static Uri Endpoint(Dictionary<string, string?> settings)
        {
            using var host = BuildHost(settings);
            return host.Services.GetRequiredService<TableServiceClient>().Uri;
        }
    }

    [Fact]
    public async Task A_TokenCredential_from_DI_is_used_for_the_table_service_uri()
    {
        using var server = new LoopbackHttpServer();
        var credential = StorageTestSupport.Credential("di-token");
        using var host = BuildHost(
            new() { ["Storage:TableServiceUri"] = "https://shop.table.core.windows.net" },
            services => services
                .AddSingleton(credential.Object)
                .AddSingleton(new TableClientOptions { Transport = HttpsToLoopbackTransport.To(server.BaseUri) }));
        await host.StartAsync();

        var health = await host.Services.GetRequiredService<StorageHealthProbe>().CheckAsync();

        Assert.Equal(StorageHealth.Up, health);
        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer di-token", request.Headers["Authorization"]);
        Assert.StartsWith("/Tables", request.RawUrl);
        credential.Verify(c => c.GetTokenAsync(
            It.Is<Azure.Core.TokenRequestContext>(t => t.Scopes.SequenceEqual(new[] { "https://storage.azure.com/.default" })),
            It.IsAny<CancellationToken>()), Times.AtLeastOnce());
        await host.StopAsync();
    }
}
