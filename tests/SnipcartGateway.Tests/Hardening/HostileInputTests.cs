using System.Diagnostics;
using System.Net;
using System.Text;
using Azure.Data.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hardening;

/// <summary>
/// Hundreds of generated hostile requests over every route, under the real host: none may be answered with a 5xx,
/// none may take more than 10 s, and none may change anything: the gateway's tables and the sandbox's state-changing
/// calls are compared before and after. Aimed partly at a real, paid and confirmed payment, so that a refusal that
/// changed it would show.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class HostileInputTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    /// <param name="BrowserPage">A URL a shopper's browser opens (a provider's return or cancel URL): refused by a redirect to
    /// the gateway's page that explains, never a JSON body in a tab.</param>
    private sealed record Hostile(string Name, HttpMethod Method, string Path, HttpContent? Content = null, IReadOnlyDictionary<string, string>? Headers = null, bool BrowserPage = false);

    [Fact]
    public async Task Hostile_requests_get_4xx_quickly_and_change_nothing()
    {
        var paid = await PaidPaymentAsync();
        var (_, liveToken) = _h.NewSession();
        var requests = Generate(paid, liveToken).ToList();
        Assert.True(requests.Count >= 200, $"only {requests.Count} requests generated");

        var tablesBefore = await SnapshotTablesAsync();
        var callsBefore = StateChangingCalls();
        var validationsBefore = _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate");

        using var client = _h.Gateway.CreateHttpClient();
        client.Timeout = TimeSpan.FromSeconds(10);
        var failures = new List<string>();
        foreach (var hostile in requests)
        {
            using var request = new HttpRequestMessage(hostile.Method, hostile.Path) { Content = hostile.Content };
            foreach (var (name, value) in hostile.Headers ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (hostile.BrowserPage)
                {
                    if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("/checkout/?notice=", StringComparison.Ordinal) != true)
                    {
                        failures.Add($"{hostile.Name}: {(int)response.StatusCode} {response.Headers.Location} instead of the page that explains");
                    }
                }
                else if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{hostile.Name}: {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
                }
                else if ((int)response.StatusCode < 400)
                {
                    failures.Add($"{hostile.Name}: accepted with {(int)response.StatusCode}");
                }
                else if (body.Length > 0 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{hostile.Name}: {(int)response.StatusCode} without a problem body ({response.Content.Headers.ContentType})");
                }
            }
            catch (TaskCanceledException)
            {
                failures.Add($"{hostile.Name}: no answer within 10 s");
            }
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                failures.Add($"{hostile.Name}: took {clock.Elapsed.TotalSeconds:F1} s");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests.Count} hostile requests misbehaved:\n" + string.Join('\n', failures));
        Assert.Equal(tablesBefore, await SnapshotTablesAsync());
        Assert.Equal(callsBefore, StateChangingCalls());
        // Every generated token is either implausible (never forwarded) or one Snipcart refuses: the oversized ones
        // alone would have been several validate calls each.
        var validations = _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate") - validationsBefore;
        Assert.True(validations <= 40, $"{validations} token validations were forwarded to Snipcart");
    }

    [Theory]
    [InlineData("t=253402300800,v1=" + "ab")]
    [InlineData("t=9223372036854775807,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=253402300800,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("t=-9223372036854775808,v1=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task A_notification_signed_with_an_impossible_timestamp_is_a_401(string signature)
    {
        using var client = _h.Gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/providers/sandboxpay/notifications")
        {
            Content = new StringContent("""{"type":"payment.updated","data":{"id":"spp_x"}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("SandboxPay-Signature", signature);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_five_megabyte_token_is_refused_without_reaching_snipcart()
    {
        var huge = new string('a', 5 * 1024 * 1024);
        var before = _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate");
        using var client = _h.Gateway.CreateHttpClient();

        var response = await client.PostAsync("api/snipcart/payment-methods",
            new StringContent(System.Text.Json.JsonSerializer.Serialize(new { publicToken = huge, mode = "test", invoice = new { currency = "usd", amount = 1 } }), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate"));
    }

    [Fact]
    public async Task A_refund_without_the_right_key_never_forwards_its_token()
    {
        var paid = await PaidPaymentAsync();
        var before = _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate");
        using var client = _h.Gateway.CreateHttpClient();

        var response = await client.PostAsync($"api/snipcart/refunds/{paid.PaymentRef}?key=wrong&publicToken={Uri.EscapeDataString(paid.Token)}", Json("""{"amount":1}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_refund_key", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, _h.State.ReceivedCount("/api/public/custom-payment-gateway/validate"));
    }

    /// <summary>A payment that went all the way: paid at Sandbox Pay, confirmed to Snipcart.</summary>
    private async Task<(string PaymentRef, string Token)> PaidPaymentAsync()
    {
        var (_, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, "succeeded");
        using var response = await _h.ReturnAsync(paymentRef);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (paymentRef, token);
    }

    private IEnumerable<Hostile> Generate((string PaymentRef, string Token) paid, string liveToken)
    {
        var tokens = new[]
        {
            "", " ", "\t", "null", "tok_unknown_" + Guid.NewGuid().ToString("N"), "../../etc/passwd", "<script>alert(1)</script>",
            "' OR 1=1 --", "\u0000", "tók€n", new string('x', 4097), new string('y', 70_000), "%00", "a b", "tok\r\nX-Injected: 1",
        };
        var refs = new[]
        {
            "pay_", "pay_" + new string('A', 26), "PAY_" + paid.PaymentRef[4..], paid.PaymentRef + "x", "..%2F..%2Fhost.json", "%00",
            "pay_%27%20or%201%3D1", new string('p', 2000), "pay_\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",
        };
        var bodies = new[]
        {
            "", "{", "}", "null", "[]", "[1,2,3]", "\"text\"", "42", "{\"publicToken\":42}", "{\"publicToken\":{\"a\":1}}",
            "{\"publicToken\":[\"a\"]}", new string('[', 5000) + new string(']', 5000), "{\"a\":\"" + new string('z', 300_000) + "\"}",
            "\uFEFF{}", "{\"publicToken\":\"\\ud800\"}",
        };

        foreach (var body in bodies)
        {
            yield return new("methods body " + Short(body), HttpMethod.Post, "api/snipcart/payment-methods", Json(body));
            yield return new("start body " + Short(body), HttpMethod.Post, "api/checkout/payments", Json(body));
            yield return new("refund body " + Short(body), HttpMethod.Post, $"api/snipcart/refunds/{paid.PaymentRef}?key=wrong", Json(body));
            yield return new("notification body " + Short(body), HttpMethod.Post, "api/providers/sandboxpay/notifications", Json(body));
        }
        foreach (var token in tokens)
        {
            var t = Uri.EscapeDataString(token);
            yield return new("methods token " + Short(token), HttpMethod.Post, "api/snipcart/payment-methods",
                Json(System.Text.Json.JsonSerializer.Serialize(new { publicToken = token, mode = "test", invoice = new { currency = "usd", amount = 1, billingAddress = new { country = "US" } } })));
            yield return new("methods query token " + Short(token), HttpMethod.Post, $"api/snipcart/payment-methods?publicToken={t}&mode=test", Json("{}"));
            yield return new("session token " + Short(token), HttpMethod.Get, $"api/checkout/session?publicToken={t}&provider=sandboxpay&mode=test");
            yield return new("start token " + Short(token), HttpMethod.Post, "api/checkout/payments",
                Json($$"""{"publicToken":{{System.Text.Json.JsonSerializer.Serialize(token)}},"provider":"sandboxpay","mode":"test","sig":"{{_h.Sig()}}"}"""));
            yield return new("refund token " + Short(token), HttpMethod.Post, $"api/snipcart/refunds/{paid.PaymentRef}?key=wrong&publicToken={t}", Json("""{"amount":1}"""));
            yield return new("refund body token " + Short(token), HttpMethod.Post, $"api/snipcart/refunds/{paid.PaymentRef}",
                Json($$"""{"amount":1,"publicToken":{{System.Text.Json.JsonSerializer.Serialize(token)}}}"""));
        }
        foreach (var r in refs)
        {
            yield return new("status " + Short(r), HttpMethod.Get, $"api/checkout/payments/{r}");
            yield return new("return " + Short(r), HttpMethod.Get, $"api/checkout/return/{r}?success=1&token=forged", BrowserPage: r != "%00");
            yield return new("cancel " + Short(r), HttpMethod.Get, $"api/checkout/cancel/{r}", BrowserPage: r != "%00");
            yield return new("refund ref " + Short(r), HttpMethod.Post, $"api/snipcart/refunds/{r}?key=x", Json("""{"amount":1}"""));
        }
        foreach (var (name, value) in new[] { ("mode", "LIVE"), ("mode", "prod"), ("mode", ""), ("provider", "nope"), ("provider", ""), ("provider", "../sandboxpay"), ("sig", ""), ("sig", "AAAA"), ("sig", new string('s', 10_000)) })
        {
            var fields = new Dictionary<string, string> { ["publicToken"] = liveToken, ["provider"] = "sandboxpay", ["mode"] = "test", ["sig"] = _h.Sig(token: liveToken) };
            fields[name] = value;
            yield return new($"start {name}={Short(value)}", HttpMethod.Post, "api/checkout/payments", Json(System.Text.Json.JsonSerializer.Serialize(fields)));
            yield return new($"session {name}={Short(value)}", HttpMethod.Get,
                $"api/checkout/session?publicToken={Uri.EscapeDataString(fields["publicToken"])}&provider={Uri.EscapeDataString(fields["provider"])}&mode={Uri.EscapeDataString(fields["mode"])}&sig={Uri.EscapeDataString(fields["sig"])}");
        }
        // The live test link's signature used with a test mode, and a sig for another provider.
        yield return new("start sig of live mode", HttpMethod.Post, "api/checkout/payments",
            Json($$"""{"publicToken":"{{liveToken}}","provider":"sandboxpay","mode":"test","sig":"{{_h.Sig(mode: "live", token: liveToken)}}"}"""));
        foreach (var amount in new[] { "0", "-1", "1e308", "\"ten\"", "null", "0.001", "99999999999999999999999999999", "[]", "true" })
        {
            yield return new($"refund amount {amount} wrong key", HttpMethod.Post, $"api/snipcart/refunds/{paid.PaymentRef}?key=wrong", Json($$"""{"amount":{{amount}}}"""));
            yield return new($"refund amount {amount} no key", HttpMethod.Post, $"api/snipcart/refunds/{paid.PaymentRef}", Json($$"""{"amount":{{amount}}}"""));
        }
        foreach (var key in new[] { "", " ", "wrong", new string('k', 32), new string('k', 5000), "%00" })
        {
            yield return new($"refund key {Short(key)}", HttpMethod.Post, $"api/snipcart/refunds/{paid.PaymentRef}?key={Uri.EscapeDataString(key)}", Json("""{"amount":1}"""));
        }
        foreach (var signature in new[] { "", "t=", "v1=", "t=abc,v1=def", "t=1,v1=" + new string('0', 64), $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={new string('0', 64)}", "t=253402300800,v1=" + new string('0', 64), "t=9223372036854775807,v1=" + new string('f', 64), new string(',', 3000) })
        {
            yield return new($"notification signature {Short(signature)}", HttpMethod.Post, "api/providers/sandboxpay/notifications",
                Json("""{"type":"payment.updated","data":{"id":"spp_x","reference":"pay_x"}}"""),
                new Dictionary<string, string> { ["SandboxPay-Signature"] = signature });
        }
        foreach (var provider in new[] { "nope", "SANDBOXPAY", "sandboxpay%00", "..", new string('p', 1000) })
        {
            yield return new($"notification provider {Short(provider)}", HttpMethod.Post, $"api/providers/{provider}/notifications", Json("{}"));
        }
        yield return new("notification over 256 KB", HttpMethod.Post, "api/providers/sandboxpay/notifications", Json("{\"a\":\"" + new string('z', 300_000) + "\"}"));
        foreach (var contentType in new[] { "text/plain", "application/json; charset=bogus", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded" })
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"publicToken\":\"x\"}"));
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            yield return new($"start content-type {contentType}", HttpMethod.Post, "api/checkout/payments", content);
            var methods = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"publicToken\":\"x\"}"));
            methods.Headers.TryAddWithoutValidation("Content-Type", contentType);
            yield return new($"methods content-type {contentType}", HttpMethod.Post, "api/snipcart/payment-methods", methods);
        }
        foreach (var path in new[] { "checkout/..%2Fhost.json", "checkout/%2e%2e/%2e%2e/host.json", "checkout/nope.js", "checkout/" + new string('a', 1500), "checkout/index.html%00.js", "checkout/.%2e/SnipcartGateway.dll" })
        {
            yield return new("page " + Short(path), HttpMethod.Get, path);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Short(string value)
    {
        var printable = new string(value.Select(c => char.IsControl(c) ? '?' : c).Take(30).ToArray());
        return value.Length > 30 ? $"{printable}…({value.Length})" : printable;
    }

    /// <summary>Every entity of the harness's tables, as text: any write shows as a difference.</summary>
    private async Task<string> SnapshotTablesAsync()
    {
        var service = new TableServiceClient(_h.Azurite.ConnectionString);
        var lines = new List<string>();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(_h.TablePrefix) >= 0))
        {
            if (!table.Name.StartsWith(_h.TablePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            await foreach (var entity in service.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                lines.Add($"{table.Name}|{entity.PartitionKey}|{entity.RowKey}|{entity.ETag}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>What the gateway asked of the simulators that changes something (everything but reads).</summary>
    private string StateChangingCalls() =>
        string.Join('\n', _h.State.ReceivedCalls.Where(c => c.Method != "GET").Select(c => $"{c.Method} {c.Path} {c.StatusCode}"));
}
