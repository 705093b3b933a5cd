using System.Text;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.JpmSmartPay;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

/// <summary>SmartPay's notifications carry the Basic user and password the merchant registered: only exactly those
/// pass, and nothing passes while none are configured.</summary>
public sealed class JpmSmartPayNotificationVerifierTests
{
    private static readonly JpmSmartPayNotificationOptions Registered = new() { Username = "gateway", Password = "s3cret:with:colons" };

    private static Dictionary<string, string> Authorization(string value) => new() { ["Authorization"] = value };

    private static string Basic(string userAndPassword) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(userAndPassword));

    private static string Rejected(IReadOnlyDictionary<string, string> headers, JpmSmartPayNotificationOptions? settings = null)
    {
        var rejected = Assert.Throws<ProviderNotificationRejectedException>(() => JpmSmartPayNotificationVerifier.Verify(headers, settings ?? Registered));
        Assert.Equal("jpmsmartpay", rejected.ProviderId);
        return rejected.Message;
    }

    [Fact]
    public void The_registered_user_and_password_pass()
    {
        JpmSmartPayNotificationVerifier.Verify(Authorization(Basic("gateway:s3cret:with:colons")), Registered);
        // Header name and scheme without case, as HTTP has them.
        JpmSmartPayNotificationVerifier.Verify(new Dictionary<string, string> { ["authorization"] = Basic("gateway:s3cret:with:colons").Replace("Basic", "basic") }, Registered);
    }

    [Theory]
    [InlineData("gateway:wrong")]
    [InlineData("Gateway:s3cret:with:colons")]
    [InlineData("gateway:s3cret:with:colons ")]
    [InlineData("gateway:s3cret:with")]
    [InlineData(":")]
    public void Any_other_user_or_password_is_refused(string userAndPassword) =>
        Assert.Contains("wrong user or password", Rejected(Authorization(Basic(userAndPassword))));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Basic")]
    [InlineData("Bearer Z2F0ZXdheTpzM2NyZXQ6d2l0aDpjb2xvbnM=")]
    [InlineData("Z2F0ZXdheTpzM2NyZXQ6d2l0aDpjb2xvbnM=")]
    public void A_request_without_Basic_credentials_is_refused(string header)
    {
        Assert.Contains("no Basic credentials", Rejected(Authorization(header)));
        Assert.Contains("no Basic credentials", Rejected(new Dictionary<string, string>()));
    }

    [Fact]
    public void Credentials_that_are_not_base64_are_refused() =>
        Assert.Equal("SmartPay notification rejected: malformed Basic credentials.", Rejected(Authorization("Basic not*base64")));

    [Theory]
    [InlineData(null, null)]
    [InlineData("gateway", null)]
    [InlineData(null, "password")]
    [InlineData(" ", "password")]
    public void Without_registered_credentials_every_notification_is_refused(string? username, string? password)
    {
        var settings = new JpmSmartPayNotificationOptions { Username = username, Password = password };

        Assert.Contains("Providers__JpmSmartPay__Notifications__Username", Rejected(Authorization(Basic($"{username}:{password}")), settings));
    }
}
