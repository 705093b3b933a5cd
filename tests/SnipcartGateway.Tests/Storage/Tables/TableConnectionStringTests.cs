using SnipcartGateway.Storage.Tables;

namespace SnipcartGateway.Tests.Storage.Tables;

public sealed class TableConnectionStringTests
{
    private const string Key = "c2VjcmV0LWtleS1ieXRlcw==";

    [Theory]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("UseDevelopmentStorage=true;")]
    [InlineData(" usedevelopmentstorage = TRUE ; DevelopmentStorageProxyUri=http://ignored")]
    public void Development_storage_means_Azurite_on_its_default_port(string connectionString)
    {
        var parsed = TableConnectionString.Parse(connectionString);

        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal(TableConnectionString.DevelopmentAccountKey, parsed.AccountKey);
    }

    [Fact]
    public void An_explicit_table_endpoint_wins()
    {
        var parsed = TableConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:12345/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:12345/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal(Key, parsed.AccountKey);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=" + Key + ";EndpointSuffix=core.windows.net", "https://shop.table.core.windows.net/")]
    [InlineData("AccountName=shop;AccountKey=" + Key, "https://shop.table.core.windows.net/")]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=shop;AccountKey=" + Key + ";EndpointSuffix=core.chinacloudapi.cn", "http://shop.table.core.chinacloudapi.cn/")]
    public void Endpoint_is_derived_from_protocol_account_and_suffix(string connectionString, string endpoint)
    {
        Assert.Equal(new Uri(endpoint), TableConnectionString.Parse(connectionString).TableEndpoint);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("AccountKey=" + Key, "AccountName")]
    [InlineData("AccountName=shop", "AccountKey")]
    [InlineData("AccountName=shop;AccountKey=", "AccountKey")]
    [InlineData("AccountName=shop;AccountKey=not*base64;secret", "")]
    [InlineData("AccountName=shop;AccountKey=not*base64*secret", "base64")]
    [InlineData("AccountName=shop;AccountKey=" + Key + ";TableEndpoint=not a uri", "TableEndpoint")]
    [InlineData("AccountName=shop;AccountKey=" + Key + ";DefaultEndpointsProtocol=ftp", "DefaultEndpointsProtocol")]
    [InlineData("BlobEndpoint=https://x;SharedAccessSignature=sv=2020&sig=secret", "SharedAccessSignature")]
    public void Invalid_connection_strings_name_what_is_wrong_and_never_the_key(string connectionString, string named)
    {
        var ex = Assert.Throws<FormatException>(() => TableConnectionString.Parse(connectionString));

        Assert.Contains(named, ex.Message);
        Assert.DoesNotContain("secret", ex.Message);
        Assert.DoesNotContain(Key, ex.Message);
    }

    [Fact]
    public void ToString_leaves_the_key_out()
    {
        var parsed = TableConnectionString.Parse($"AccountName=shop;AccountKey={Key}");

        Assert.DoesNotContain(Key, parsed.ToString());
        Assert.Contains("shop", parsed.ToString());
    }
}
