using SnipcartGateway.Api;
using SnipcartGateway.Support;

namespace SnipcartGateway.Tests.Support;

public sealed class SupportFieldsTests
{
    [Theory]
    [InlineData("transactionId", true)]
    [InlineData("paymentStatus", true)]
    [InlineData("statusAnswer", true)]
    [InlineData("reconciliationReferenceId", true)]
    [InlineData("attention", true)]
    [InlineData("checkoutToken", false)]
    [InlineData("accessToken", false)]
    [InlineData("clientSecret", false)]
    [InlineData("merchantKey", false)]
    [InlineData("password", false)]
    [InlineData("webhookSignature", false)]
    [InlineData("authorizationCode", false)]
    public void Support_sees_ids_statuses_and_answers_never_tokens_keys_or_secrets(string field, bool shown) =>
        Assert.Equal(shown, SupportFields.IsShown(field));

    [Fact]
    public void A_caller_is_named_by_a_fingerprint_that_is_stable_short_and_not_the_key()
    {
        var key = "Abc123-the-function-key";
        var fingerprint = SupportCaller.Fingerprint(key);
        Assert.Equal(8, fingerprint.Length);
        Assert.Equal(fingerprint, SupportCaller.Fingerprint(key));
        Assert.NotEqual(fingerprint, SupportCaller.Fingerprint(key + "x"));
        Assert.DoesNotContain(fingerprint, key);
    }
}
