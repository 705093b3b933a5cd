using System.Net;
using System.Net.Http.Json;
using System.Text;
using SnipcartGateway.Payments;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.SandboxPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Telemetry;

/// <summary>
/// The gateway under the Functions host with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set (http/protobuf) to a receiver on
/// loopback: one purchase (payment methods, start, pay, return, refund), one declined and then paid after all (Snipcart
/// told failed with a code, the late money flagged for a person) and a reconciliation run come back as spans from the
/// function, Snipcart, the provider and the tables, carrying the payment reference and the provider; the metrics a
/// merchant alerts on arrive with their provider, code and reason; logs arrive; and no secret, refund key or public
/// token is in any of it.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class TelemetryExportTests(GatewayStackFixture stack) : IAsyncLifetime
{
    private OtlpReceiver _receiver = null!;
    private GatewayHarness _h = null!;

    public async Task InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        _h = await GatewayHarness.StartAsync(stack.Azurite, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // Export often, so the test does not wait for the default minute of metrics.
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
        });
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task One_purchase_arrives_as_spans_metrics_and_logs_with_no_secret_in_them()
    {
        var (session, token) = _h.NewSession();
        using var client = _h.Gateway.CreateHttpClient();
        var methods = await client.PostAsync($"api/snipcart/payment-methods?publicToken={Uri.EscapeDataString(token)}",
            new StringContent("""{"mode":"test","invoice":{"currency":"usd","amount":109.89,"billingAddress":{"country":"US"}}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, methods.StatusCode);
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        Assert.Equal(HttpStatusCode.Redirect, (await _h.ReturnAsync(paymentRef)).StatusCode);
        var refundsUrl = _h.State.GetSession(session.Id)!.RefundsUrl!;
        var refundKey = refundsUrl[(refundsUrl.IndexOf("?key=", StringComparison.Ordinal) + 5)..];
        var refund = await client.PostAsJsonAsync(refundsUrl, new { paymentId = paymentRef, amount = 10m });
        Assert.True(refund.IsSuccessStatusCode, await refund.Content.ReadAsStringAsync());
        var (declinedSession, declinedToken, declinedCode) = await DeclinedThenPaidAsync();
        Assert.True(await _h.Gateway.RunReconcileAsync(), _h.Gateway.Output);

        await _receiver.WaitUntilAsync(r =>
            r.Spans.Any(s => s[GatewayTelemetryNames.Upstream] == "snipcart")
            && r.Spans.Any(s => s[GatewayTelemetryNames.Upstream] == "sandboxpay")
            && r.Spans.Any(s => s.Scope.StartsWith("Azure.Data.Tables", StringComparison.Ordinal))
            && r.Spans.Count(s => s[GatewayTelemetryNames.PaymentReference] == paymentRef) >= 3
            && r.Metrics.Any(m => m.Metric.Name == "payments.reconciliation.unsettled")
            && r.Metrics.Any(m => m.Metric.Name == "payments.unsettled.oldest_age")
            && r.Metrics.Any(m => m.Metric.Name == "gateway.upstream.duration")
            && HasPoint(r.Metrics, "payments.confirmations", ("provider", "sandboxpay"), ("state", "failed"), ("code", declinedCode))
            && HasPoint(r.Metrics, "payments.attention", ("reason", LateMoneyRecorder.PaidAfterFailedCode), ("provider", "sandboxpay"))
            && r.Logs.Any(l => l.Body is { } body && OtlpReceiver.Text(body).Contains(paymentRef, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), Describe);

        // Spans: the functions (the worker's invocation spans and ASP.NET Core's), each upstream, the tables.
        var spans = _receiver.Spans;
        var seen = string.Join('\n', spans.Select(s => $"{s.Service} | {s.Scope} | {s.Span.Name}").Distinct().Order());
        Assert.True(spans.Any(s => s.Scope == "Microsoft.Azure.Functions.Worker"), seen);
        // The function's span (the worker's invocation span, current while the function runs) names the payment.
        Assert.True(spans.Any(s => s.Scope == "Microsoft.Azure.Functions.Worker"
            && s[GatewayTelemetryNames.PaymentReference] == paymentRef && s[GatewayTelemetryNames.PaymentProvider] == "sandboxpay"),
            string.Join('\n', spans.Where(s => s.Span.Attributes.Any(a => a.Key.StartsWith("payment.", StringComparison.Ordinal))).Select(s => s.ToString())));
        Assert.Contains(spans, s => s.Scope == "Microsoft.AspNetCore");
        Assert.Contains(spans, s => s[GatewayTelemetryNames.Upstream] == "sandboxpay" && s.Span.Name == "sandboxpay POST");
        Assert.Contains(spans, s => s[GatewayTelemetryNames.Upstream] == "snipcart" && s.Span.Name == "snipcart GET");
        Assert.Contains(spans, s => s.Scope == "System.Net.Http");

        // Metrics a merchant alerts on: what Snipcart was told by provider and code, attempts needing attention by
        // reason, upstream latency by upstream, the reconciliation backlog, the oldest unsettled attempt.
        var metrics = _receiver.Metrics;
        Assert.True(HasPoint(metrics, "payments.confirmations", ("provider", "sandboxpay"), ("state", "processed"), ("code", "")), Describe());
        Assert.True(HasPoint(metrics, "payments.confirmations", ("provider", "sandboxpay"), ("state", "failed"), ("code", declinedCode)), Describe());
        Assert.DoesNotContain(_h.State.PaymentCallsFor(declinedSession.Id), c => c.State == "processed");
        Assert.True(HasPoint(metrics, "payments.attention", ("reason", LateMoneyRecorder.PaidAfterFailedCode), ("provider", "sandboxpay")), Describe());
        Assert.Contains(metrics, m => m.Metric.Name == "payments.unsettled.oldest_age" && m.Metric.DataCase == Otlp.Metric.DataOneofCase.Gauge);
        var upstreams = metrics.Where(m => m.Metric.Name == "gateway.upstream.duration")
            .SelectMany(m => m.PointAttributes).Select(a => OtlpReceiver.Attribute(a, "upstream")).ToHashSet();
        Assert.Superset(new HashSet<string?> { "snipcart", "sandboxpay" }, upstreams);
        Assert.Contains(metrics, m => m.Metric.Name == "payments.reconciliation.due");
        Assert.Contains(metrics, m => m.Metric.Name == "payments.reconciliation.left");

        // Nothing that must stay secret, byte for byte, in anything that arrived (the host's own telemetry included).
        string[] secrets =
        [
            token, Uri.EscapeDataString(token), refundKey, declinedToken, Uri.EscapeDataString(declinedToken),
            SandboxHost.SnipcartTestKey, SandboxHost.SnipcartLiveKey, SandboxHost.SandboxPaySecret, SandboxHost.SandboxPaySigning,
            SandboxHost.SnapplifySecret, SandboxHost.SmartpaySecretKey, SandboxHost.SmartpaySigningSecret,
            GatewayHarness.JpmAccount.ClientSecret, GatewayHarness.JpmAccount.NotificationPassword, AzuriteFixture.AccountKey,
        ];
        var bodies = _receiver.AllBodies;
        foreach (var secret in secrets)
        {
            var bytes = Encoding.UTF8.GetBytes(secret);
            Assert.False(bodies.Any(body => body.AsSpan().IndexOf(bytes) >= 0), $"A secret ({secret[..4]}...) was exported.");
        }
        // URLs keep their path but not their query.
        Assert.DoesNotContain(spans, s => (s["url.full"] ?? "").Contains("key=", StringComparison.Ordinal) || (s["url.full"] ?? "").Contains("publicToken=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_upstream_shows_as_errors_by_upstream()
    {
        // A token Snipcart does not know is a verdict (4xx), not an error; the sandbox's Sandbox Pay answering 500 is.
        // The first try and both retries (the create call carries an idempotency key).
        _h.State.FailNext(SimulatedEndpoint.SandboxPayCreatePayment, 503, times: 3);
        var (_, token) = _h.NewSession();
        using var client = _h.Gateway.CreateHttpClient();
        var start = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider = "sandboxpay", mode = "test", sig = _h.Sig("sandboxpay", "test", token) });
        Assert.False(start.IsSuccessStatusCode);

        await _receiver.WaitUntilAsync(r => r.Metrics.Any(m => m.Metric.Name == "gateway.upstream.errors"
                && m.PointAttributes.Any(a => OtlpReceiver.Attribute(a, "upstream") == "sandboxpay" && OtlpReceiver.Attribute(a, "error.type") == "server_error")),
            TimeSpan.FromSeconds(30), Describe);
    }

    /// <summary>A second purchase: declined at the provider, so Snipcart is told <c>failed</c> with a code; then the
    /// provider reports it paid after all (its notification), which flags the attempt for a person.</summary>
    private async Task<(SandboxSession Session, string Token, string Code)> DeclinedThenPaidAsync()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Declined);
        Assert.Equal(HttpStatusCode.Redirect, (await _h.ReturnAsync(paymentRef)).StatusCode);
        var told = Assert.Single(_h.State.PaymentCallsFor(session.Id));
        Assert.Equal("failed", told.State);
        var code = told.Error?.Code ?? "";
        Assert.NotEqual("", code);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: true);
        return (session, token, code);
    }

    /// <summary>Whether a point of the named metric carries all these attribute values.</summary>
    private static bool HasPoint(IEnumerable<ReceivedMetric> metrics, string name, params (string Key, string? Value)[] attributes) =>
        metrics.Where(m => m.Metric.Name == name).SelectMany(m => m.PointAttributes)
            .Any(point => attributes.All(a => OtlpReceiver.Attribute(point, a.Key) == a.Value));

    private string Describe() =>
        "Spans:\n" + string.Join('\n', _receiver.Spans.Select(s => s.ToString()).Distinct().Take(80))
        + "\nMetrics:\n" + string.Join('\n', _receiver.Metrics.Select(m => m.ToString()).Distinct())
        + $"\nLogs: {_receiver.Logs.Count}\n" + string.Join('\n', _h.Gateway.Host.Lines.TakeLast(40));
}

/// <summary>The attribute names of functions/Hosting/Telemetry/GatewayTelemetry, as the test expects them on the wire.</summary>
internal static class GatewayTelemetryNames
{
    public const string PaymentReference = "payment.reference";
    public const string PaymentProvider = "payment.provider";
    public const string Upstream = "gateway.upstream";
}
