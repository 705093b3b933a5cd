using System.Security.Cryptography;
using System.Text;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.SandboxPay;

namespace SnipcartGateway.Tests.Providers.SandboxPay;

/// <summary>
/// <c>SandboxPay-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c>: which mode's secret signed the body, and every way a header
/// can be missing, malformed, stale or signed by someone else.
/// </summary>
public sealed class SandboxPayNotificationVerifierTests
{
    private const string Body = """{"type":"payment.succeeded","data":{"id":"sp_1"}}""";
    private const string TestSecret = "whsec_test_one";
    private const string LiveSecret = "whsec_live_two";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long T = Now.ToUnixTimeSeconds();

    private static SandboxPayOptions Options(string? test = TestSecret, string? live = LiveSecret) => new()
    {
        Test = new SandboxPayModeKeys { SecretKey = "sk_test", SigningSecret = test },
        Live = new SandboxPayModeKeys { SecretKey = "sk_live", SigningSecret = live },
    };

    private static string Sign(string secret, long t, string body = Body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{body}")));

    private static Dictionary<string, string> Header(string value) => new() { ["SandboxPay-Signature"] = value };

    private static PaymentMode Verify(IReadOnlyDictionary<string, string> headers, SandboxPayOptions? options = null, string body = Body) =>
        SandboxPayNotificationVerifier.Verify(body, headers, options ?? Options(), Now, "sandboxpay");

    private static ProviderNotificationRejectedException Rejected(IReadOnlyDictionary<string, string> headers, SandboxPayOptions? options = null, string body = Body) =>
        Assert.Throws<ProviderNotificationRejectedException>(() => Verify(headers, options, body));

    [Fact]
    public void The_mode_is_the_one_whose_secret_signed_the_body()
    {
        Assert.Equal(PaymentMode.Test, Verify(Header($"t={T},v1={Sign(TestSecret, T)}")));
        Assert.Equal(PaymentMode.Live, Verify(Header($"t={T},v1={Sign(LiveSecret, T)}")));
    }

    [Fact]
    public void The_header_name_has_no_case_and_its_parts_no_order_or_spacing()
    {
        var sig = Sign(TestSecret, T);
        Assert.Equal(PaymentMode.Test, Verify(new Dictionary<string, string> { ["sandboxpay-signature"] = $"t={T},v1={sig}" }));
        Assert.Equal(PaymentMode.Test, Verify(Header($" v1={sig} , t={T} ")));
        Assert.Equal(PaymentMode.Test, Verify(Header($"t={T},v1={sig.ToUpperInvariant()}")));
    }

    [Fact]
    public void Any_one_of_several_signatures_may_match_as_during_a_secret_rotation()
    {
        Assert.Equal(PaymentMode.Live, Verify(Header($"t={T},v1={Sign("an old secret", T)},v1={Sign(LiveSecret, T)}")));
        Assert.Equal(PaymentMode.Test, Verify(Header($"t={T},v0=legacy,v1={Sign(TestSecret, T)}")));
    }

    [Fact]
    public void A_mode_without_a_signing_secret_verifies_nothing()
    {
        // Live has no secret: a body signed with an empty key is not live.
        Rejected(Header($"t={T},v1={Sign("", T)}"), Options(live: null));
        Rejected(Header($"t={T},v1={Sign(" ", T)}"), Options(test: " ", live: null));
        Assert.Equal(PaymentMode.Live, Verify(Header($"t={T},v1={Sign(LiveSecret, T)}"), Options(test: null)));
    }

    [Fact]
    public void A_changed_body_timestamp_or_secret_is_refused()
    {
        var sig = Sign(TestSecret, T);
        Rejected(Header($"t={T},v1={sig}"), body: Body.Replace("sp_1", "sp_2"));
        Rejected(Header($"t={T + 1},v1={sig}"));
        Rejected(Header($"t={T},v1={Sign("someone else's", T)}"));
        // Signed over the body alone, or the timestamp alone.
        Rejected(Header($"t={T},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TestSecret), Encoding.UTF8.GetBytes(Body)))}"));
        Rejected(Header($"t={T},v1={Sign(TestSecret, T, "")}"));
    }

    [Theory]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void The_timestamp_must_be_within_five_minutes_either_way(long offset, bool accepted)
    {
        var headers = Header($"t={T + offset},v1={Sign(TestSecret, T + offset)}");
        if (accepted)
        {
            Assert.Equal(PaymentMode.Test, Verify(headers));
        }
        else
        {
            Assert.Contains("tolerance", Rejected(headers).Message);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_header_is_refused(string value)
    {
        Assert.Contains("missing signature header", Rejected(Header(value)).Message);
        Assert.Contains("missing signature header", Rejected(new Dictionary<string, string>()).Message);
    }

    [Theory]
    [InlineData("v1={sig}")]                  // no timestamp
    [InlineData("t={t}")]                     // no signature
    [InlineData("t=,v1={sig}")]               // empty timestamp
    [InlineData("t=-{t},v1={sig}")]           // signed timestamp
    [InlineData("t={t}.5,v1={sig}")]          // not an integer
    [InlineData("t={t},v1={sig}0")]           // 65 hex digits
    [InlineData("t={t},v1={short}")]          // 63 hex digits
    [InlineData("t={t},v1=zz{tail}")]         // not hex
    [InlineData("t={t},V1={sig}")]            // names are case-sensitive
    [InlineData("T={t},v1={sig}")]
    [InlineData("t{t},v1{sig}")]              // no '='
    [InlineData("={t},v1={sig}")]             // no name
    public void A_malformed_header_is_refused(string shape)
    {
        var sig = Sign(TestSecret, T);
        var header = shape.Replace("{t}", T.ToString()).Replace("{sig}", sig).Replace("{short}", sig[1..]).Replace("{tail}", sig[2..]);

        var rejected = Rejected(Header(header));

        Assert.Equal("sandboxpay", rejected.ProviderId);
        Assert.Contains("malformed signature header", rejected.Message);
    }

    [Fact]
    public void A_refusal_names_the_provider_it_was_for()
    {
        var rejected = Assert.Throws<ProviderNotificationRejectedException>(() =>
            SandboxPayNotificationVerifier.Verify(Body, Header($"t={T},v1={Sign("x", T)}"), Options(), Now, "sandboxwidget"));

        Assert.Equal("sandboxwidget", rejected.ProviderId);
        Assert.Equal("Sandbox Pay notification rejected: signature does not match.", rejected.Message);
    }
}
