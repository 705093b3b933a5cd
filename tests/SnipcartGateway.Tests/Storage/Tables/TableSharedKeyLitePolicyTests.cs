using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

/// <summary>The signature, checked against an HMAC computed here by hand, on requests a real server received.</summary>
public sealed class TableSharedKeyLitePolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private const string NowRfc1123 = "Tue, 04 Mar 2025 05:06:07 GMT";

    private static string HandMadeSignature(string stringToSign)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(AzuriteFixture.AccountKey));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
    }

    private static HttpPipeline Pipeline(TableSharedKeyLitePolicy policy, int maxRetries = 0)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        return HttpPipelineBuilder.Build(new HttpPipelineOptions(options) { PerRetryPolicies = { policy } });
    }

    [Fact]
    public async Task Signs_date_and_path_style_resource_with_only_comp_from_the_query()
    {
        using var server = new LoopbackHttpServer();
        var policy = new TableSharedKeyLitePolicy(
            new TableSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), new FixedTime(Now));
        var pipeline = Pipeline(policy);
        const string Path = "devstoreaccount1/orders(PartitionKey='it%27%27s',RowKey='%E6%97%A5')";

        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri(server.BaseUri, Path + "?$filter=x%20eq%201&comp=list"));
        await pipeline.SendAsync(message, CancellationToken.None);

        var received = Assert.Single(server.Requests);
        Assert.Equal(NowRfc1123, received.Headers["x-ms-date"]);
        var expected = HandMadeSignature(
            NowRfc1123 + "\n/devstoreaccount1/devstoreaccount1/orders(PartitionKey='it%27%27s',RowKey='%E6%97%A5')?comp=list");
        Assert.Equal("SharedKeyLite devstoreaccount1:" + expected, received.Headers["Authorization"]);
        Assert.False(received.Headers.ContainsKey("Date"), "Azurite prefers Date over x-ms-date: only one may be sent");
    }

    [Fact]
    public void String_to_sign_leaves_out_every_query_parameter_but_comp()
    {
        var uri = new Uri("https://acct.table.core.windows.net/Tables?$top=1&NextTableName=x");

        Assert.Equal(NowRfc1123 + "\n/acct/Tables", TableSharedKeyLitePolicy.BuildStringToSign(NowRfc1123, "acct", uri));
    }

    [Fact]
    public async Task Every_retry_is_signed_afresh()
    {
        using var server = new LoopbackHttpServer(status: 503, body: "");
        var clock = new FixedTime(Now);
        var policy = new TableSharedKeyLitePolicy(new TableSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), clock);
        var pipeline = Pipeline(policy, maxRetries: 2);

        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(new Uri(server.BaseUri, "devstoreaccount1/Tables"));
        clock.AdvanceOnEachRead = TimeSpan.FromSeconds(1);
        await pipeline.SendAsync(message, CancellationToken.None);

        var attempts = server.Requests.ToList();
        Assert.Equal(3, attempts.Count);
        Assert.Equal(3, attempts.Select(a => a.Headers["x-ms-date"]).Distinct().Count());
        Assert.All(attempts, a => Assert.Equal(
            "SharedKeyLite devstoreaccount1:" + HandMadeSignature(a.Headers["x-ms-date"] + "\n/devstoreaccount1/devstoreaccount1/Tables"),
            a.Headers["Authorization"]));
    }

    [Fact]
    public void A_key_that_is_not_base64_is_refused_without_echoing_it()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TableSharedKeyCredential("acct", "not*base64!secret"));

        Assert.DoesNotContain("secret", ex.Message);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public TimeSpan AdvanceOnEachRead { get; set; }

        public override DateTimeOffset GetUtcNow()
        {
            var value = _now;
            _now += AdvanceOnEachRead;
            return value;
        }
    }
}
