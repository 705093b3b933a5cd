using System.Security.Cryptography;
using System.Text;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.Smartpay;
using SnipcartGateway.Sandbox.Smartpay;

namespace SnipcartGateway.Tests.Providers.Smartpay;

/// <summary>Smartpay's webhook signature: the SDKs' own test vector, vectors made with other secrets, and the checks
/// around it (headers, tolerance, modes).</summary>
public sealed class SmartpayWebhookSignatureTests
{
    // sdk-node test/unit.js and sdk-python smartpay/test/specs/unit.py (identical).
    private const string VectorTimestamp = "1653028612220";
    private const string VectorBody = """{"id":"evt_test_dwPfFKu5iSEKyHR2LFj9Lx","object":"event","createdAt":1653028523052,"test":true,"eventData":{"type":"payment.created","version":"2022-02-18","data":{"id":"payment_test_35LxgmF5KM22XKG38BjpJg","object":"payment","test":true,"createdAt":1653028523020,"updatedAt":1653028523020,"amount":200,"currency":"JPY","order":"order_test_RiYq2rthzRHrkKVGeucSwn","reference":"order_ref_1234567","status":"processed","metadata":{}}}}""";
    private const string VectorSecret = "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q";
    private const string VectorSignature = "68007ada8485ea0ceca7c5e879ae860a50412b7af95ab8e81b32a3e13f3c0832";

    private static SmartpayOptions Options(string? testSecret = VectorSecret, string? liveSecret = null) => new()
    {
        Enabled = true,
        Test = new SmartpayModeOptions { SecretKey = "sk_test_a", SigningSecret = testSecret },
        Live = new SmartpayModeOptions { SecretKey = liveSecret is null ? null : "sk_live_a", SigningSecret = liveSecret },
    };

    private static Dictionary<string, string> Headers(string signature, string timestamp) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["smartpay-signature"] = signature,
        ["Smartpay-Signature-Timestamp"] = timestamp,
        ["Smartpay-Subscription-Id"] = "webhookendpoint_test_x",
    };

    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeMilliseconds(1653028612220);

    [Fact]
    public void The_sdks_published_vector_passes()
    {
        Assert.Equal(VectorSignature, SmartpayWebhookSignature.Compute(VectorSecret, VectorTimestamp + "." + VectorBody));
        Assert.Equal(PaymentMode.Test, SmartpayWebhookSignature.Verify(VectorBody, Headers(VectorSignature, VectorTimestamp), Options(), null, VectorTime.AddSeconds(3)));
    }

    [Fact]
    public void The_signing_secret_is_decoded_as_the_node_sdk_decodes_it()
    {
        // The decoded key of the published secret (computed independently in the reference notes): 30 bytes.
        Assert.Equal("260d2907ea2fcd7a83ca52e8c1c98a012423eaddde8a8cf03fb3163d6d92", Convert.ToHexStringLower(Base62.Decode(VectorSecret)));
        // base-x: each leading zero digit ('A') is a leading zero byte.
        Assert.Equal([0, 0, 1], Base62.Decode("AAB"));
        Assert.Equal([0], Base62.Decode("A"));
        Assert.Equal([61], Base62.Decode("9"));
        Assert.Equal([0, 62], Base62.Decode("ABA"));
        Assert.Throws<FormatException>(() => Base62.Decode("not-base62"));
    }

    [Fact]
    public void Vectors_made_with_other_secrets_pass_and_the_sandbox_signs_the_same_way()
    {
        for (var i = 0; i < 20; i++)
        {
            var bytes = RandomNumberGenerator.GetBytes(30);
            if (i % 5 == 0)
            {
                bytes[0] = 0; // leading zero bytes survive the round trip
            }
            var secret = Base62.Encode(bytes);
            Assert.Equal(bytes, Base62.Decode(secret));
            Assert.Equal(bytes, SmartpaySimSignature.Decode(secret));
            var body = "{\"id\":\"evt_test_" + i + "\",\"eventData\":{\"type\":\"order.authorized\",\"data\":{\"id\":\"order_test_" + i + "\"}}}";
            var timestamp = 1700000000000L + i;
            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(bytes, Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

            Assert.Equal(expected, SmartpayWebhookSignature.Compute(secret, $"{timestamp}.{body}"));
            Assert.Equal(expected, SmartpaySimSignature.Sign(secret, timestamp, body));
            Assert.Equal(PaymentMode.Test, SmartpayWebhookSignature.Verify(body, Headers(expected, timestamp.ToString()), Options(secret), PaymentMode.Test,
                DateTimeOffset.FromUnixTimeMilliseconds(timestamp)));
        }
    }

    [Fact]
    public void Tampered_unsigned_stale_and_malformed_webhooks_are_rejected()
    {
        void Rejected(string body, Dictionary<string, string> headers, DateTimeOffset? now = null) =>
            Assert.Throws<ProviderNotificationRejectedException>(() => SmartpayWebhookSignature.Verify(body, headers, Options(), null, now ?? VectorTime));

        Rejected(VectorBody.Replace("200", "2000"), Headers(VectorSignature, VectorTimestamp));                  // body changed
        Rejected(VectorBody, Headers(VectorSignature, "1653028612221"));                                        // timestamp changed
        Rejected(VectorBody, Headers(VectorSignature.Replace('6', '7'), VectorTimestamp));                       // signature changed
        Rejected(VectorBody, new Dictionary<string, string>());                                                  // unsigned
        Rejected(VectorBody, new Dictionary<string, string> { ["Smartpay-Signature"] = VectorSignature });     // no timestamp
        Rejected(VectorBody, Headers("zz" + VectorSignature[2..], VectorTimestamp));                             // not hex
        Rejected(VectorBody, Headers(VectorSignature, "1653028612220.5"));                                      // not an integer
        Rejected(VectorBody, Headers(VectorSignature, VectorTimestamp), VectorTime.AddMinutes(5).AddMilliseconds(1)); // stale
        Rejected(VectorBody, Headers(VectorSignature, VectorTimestamp), VectorTime.AddMinutes(-6));                   // from the future
        Rejected(VectorBody, Headers(VectorSignature, "9223372036854775807"));                                  // absurd, no overflow
        Assert.Equal(PaymentMode.Test, SmartpayWebhookSignature.Verify(VectorBody, Headers(VectorSignature, VectorTimestamp), Options(), null, VectorTime.AddMinutes(5)));
    }

    [Theory]
    [InlineData("{body}")]                // the body alone: the timestamp would be free to change
    [InlineData("{timestamp}{body}")]     // no separator
    [InlineData("{body}.{timestamp}")]    // the other way round
    [InlineData("{timestamp}.")]          // the timestamp alone: the body would be free to change
    public void Only_a_signature_over_timestamp_dot_body_is_accepted(string signedShape)
    {
        var signedData = signedShape.Replace("{timestamp}", VectorTimestamp).Replace("{body}", VectorBody);
        var signature = SmartpayWebhookSignature.Compute(VectorSecret, signedData);

        Assert.Throws<ProviderNotificationRejectedException>(() =>
            SmartpayWebhookSignature.Verify(VectorBody, Headers(signature, VectorTimestamp), Options(), null, VectorTime));
    }

    [Fact]
    public void A_signature_with_upper_case_hex_or_surrounding_spaces_is_the_same_signature()
    {
        Assert.Equal(PaymentMode.Test, SmartpayWebhookSignature.Verify(VectorBody, Headers(" " + VectorSignature.ToUpperInvariant() + " ", " " + VectorTimestamp + " "), Options(), null, VectorTime));
    }

    [Fact]
    public void Each_refusal_says_why()
    {
        string Why(Dictionary<string, string> headers, DateTimeOffset? now = null) =>
            Assert.Throws<ProviderNotificationRejectedException>(() => SmartpayWebhookSignature.Verify(VectorBody, headers, Options(), null, now ?? VectorTime)).Message;

        Assert.Equal("Smartpay webhook rejected: missing Smartpay-Signature or Smartpay-Signature-Timestamp.", Why(new Dictionary<string, string>()));
        Assert.Equal("Smartpay webhook rejected: missing Smartpay-Signature or Smartpay-Signature-Timestamp.", Why(Headers(VectorSignature, " ")));
        Assert.Equal("Smartpay webhook rejected: missing Smartpay-Signature or Smartpay-Signature-Timestamp.", Why(Headers(" ", VectorTimestamp)));
        Assert.Equal("Smartpay webhook rejected: malformed signature.", Why(Headers(VectorSignature[1..], VectorTimestamp)));
        Assert.Equal("Smartpay webhook rejected: malformed signature.", Why(Headers("g" + VectorSignature[1..], VectorTimestamp)));
        Assert.Equal("Smartpay webhook rejected: malformed timestamp.", Why(Headers(VectorSignature, "-1653028612220")));
        Assert.Equal("Smartpay webhook rejected: timestamp outside the 00:05:00 tolerance.", Why(Headers(VectorSignature, VectorTimestamp), VectorTime.AddMinutes(6)));
        Assert.Equal("Smartpay webhook rejected: signature does not match.", Why(Headers(VectorSignature, "1653028612221"), VectorTime));
    }

    [Fact]
    public void A_signing_secret_pasted_with_spaces_still_verifies()
    {
        Assert.Equal(PaymentMode.Test, SmartpayWebhookSignature.Verify(VectorBody, Headers(VectorSignature, VectorTimestamp), Options(testSecret: " " + VectorSecret + " "), null, VectorTime));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-base62!")]
    public void A_mode_without_a_usable_signing_secret_is_skipped_not_a_crash(string? testSecret)
    {
        var options = Options(testSecret: testSecret, liveSecret: VectorSecret);

        Assert.Equal(PaymentMode.Live, SmartpayWebhookSignature.Verify(VectorBody, Headers(VectorSignature, VectorTimestamp), options, null, VectorTime));
        Assert.Throws<ProviderNotificationRejectedException>(() =>
            SmartpayWebhookSignature.Verify(VectorBody, Headers(VectorSignature, VectorTimestamp), options, PaymentMode.Test, VectorTime));
    }

    [Fact]
    public void Base62_tells_a_secret_from_anything_else_and_keeps_zero_bytes()
    {
        Assert.True(Base62.IsValid(VectorSecret));
        Assert.False(Base62.IsValid(null));
        Assert.False(Base62.IsValid(""));
        Assert.False(Base62.IsValid("abc-def"));
        Assert.False(Base62.IsValid("abc def"));
        Assert.Equal("Not a Base62 string.", Assert.Throws<FormatException>(() => Base62.Decode("")).Message);

        Assert.Equal("AA", Base62.Encode([0, 0]));
        Assert.Equal([0, 0], Base62.Decode("AA"));
        Assert.Equal("", Base62.Encode([]));
        Assert.Equal("B", Base62.Encode([1]));
        Assert.Equal("BA", Base62.Encode([62]));
        Assert.Equal("AEH", Base62.Encode([0, 0xFF]));   // 255 = 4 * 62 + 7: "E", "H"
    }

    [Fact]
    public void The_tolerance_is_a_setting()
    {
        var options = Options();
        options.WebhookTolerance = TimeSpan.FromSeconds(30);
        Assert.Throws<ProviderNotificationRejectedException>(() =>
            SmartpayWebhookSignature.Verify(VectorBody, Headers(VectorSignature, VectorTimestamp), options, null, VectorTime.AddSeconds(31)));
    }

    [Fact]
    public void The_mode_is_the_one_whose_secret_verifies_and_a_named_mode_is_the_only_one_tried()
    {
        var other = Base62.Encode(RandomNumberGenerator.GetBytes(30));
        var options = Options(testSecret: other, liveSecret: VectorSecret);
        var headers = Headers(VectorSignature, VectorTimestamp);

        Assert.Equal(PaymentMode.Live, SmartpayWebhookSignature.Verify(VectorBody, headers, options, null, VectorTime));
        Assert.Equal(PaymentMode.Live, SmartpayWebhookSignature.Verify(VectorBody, headers, options, PaymentMode.Live, VectorTime));
        Assert.Throws<ProviderNotificationRejectedException>(() => SmartpayWebhookSignature.Verify(VectorBody, headers, options, PaymentMode.Test, VectorTime));
    }

    [Fact]
    public async Task The_adapter_refuses_a_test_event_verified_with_the_live_secret()
    {
        var options = Options(testSecret: Base62.Encode(RandomNumberGenerator.GetBytes(30)), liveSecret: VectorSecret);
        var clock = new FixedClock(VectorTime);
        var provider = new SmartpayProvider(null!, new StaticOptionsMonitor<SmartpayOptions>(options), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<SmartpayProvider>.Instance);

        // The vector says "test": true, but only the live secret signs it.
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => provider.ParseNotificationAsync(new ProviderNotificationRequest
        {
            Body = VectorBody,
            Headers = Headers(VectorSignature, VectorTimestamp),
        }));
    }

    [Fact]
    public async Task The_adapter_reads_the_vectors_payment_created_event_as_its_order_and_payment()
    {
        var clock = new FixedClock(VectorTime);
        var provider = new SmartpayProvider(null!, new StaticOptionsMonitor<SmartpayOptions>(Options()), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<SmartpayProvider>.Instance);

        var notification = await provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = VectorBody, Headers = Headers(VectorSignature, VectorTimestamp) });

        Assert.Equal(PaymentMode.Test, notification.Mode);
        Assert.True(notification.Relevant);
        Assert.Null(notification.PaymentRef); // "order_ref_1234567" is no reference of ours
        Assert.Equal("order_test_RiYq2rthzRHrkKVGeucSwn", notification.ProviderPaymentId);
        Assert.Equal("payment_test_35LxgmF5KM22XKG38BjpJg", notification.ProviderData![SmartpayProvider.PaymentIdKey]);
        Assert.Equal("order_test_RiYq2rthzRHrkKVGeucSwn", notification.ProviderData[SmartpayProvider.OrderIdKey]);
    }
}

/// <summary>Options that never change, for adapters built by hand.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : Microsoft.Extensions.Options.IOptionsMonitor<T>
{
    public T CurrentValue => value;
    public T Get(string? name) => value;
    public IDisposable? OnChange(Action<T, string?> listener) => null;
}

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
