using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Tests.Hosting.OutboundHttp;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("PATCH", false)]
    [InlineData("DELETE", false)]
    public void Reads_are_safe_to_retry_and_plain_writes_are_not(string method, bool safe)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.example/v1/x");

        Assert.Equal(safe, RetryPolicy.IsSafeToRetry(request));
    }

    [Fact]
    public void A_write_with_an_idempotency_key_is_safe_to_retry()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.example/v1/payments");
        request.Headers.Add(OutboundRequest.IdempotencyKeyHeader, "ref-1");

        Assert.True(RetryPolicy.IsSafeToRetry(request));
    }

    [Fact]
    public void A_write_marked_idempotent_is_safe_to_retry()
    {
        using var request = OutboundRequest.MarkIdempotent(new HttpRequestMessage(HttpMethod.Put, "https://api.example/v1/refunds/r-1"));

        Assert.True(OutboundRequest.IsMarkedIdempotent(request));
        Assert.True(RetryPolicy.IsSafeToRetry(request));
    }

    [Fact]
    public void Snipcarts_payment_confirmation_is_not_safe_to_retry()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://payment.snipcart.com/api/private/custom-payment-gateway/payment");
        request.Headers.Authorization = new("Bearer", "key");

        Assert.False(RetryPolicy.IsSafeToRetry(request));
    }
}
