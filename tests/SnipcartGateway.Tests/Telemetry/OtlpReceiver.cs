using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Google.Protobuf;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Telemetry.Otlp;

namespace SnipcartGateway.Tests.Telemetry;

/// <summary>
/// An OTLP/HTTP receiver (protobuf) on a loopback port, as a collector would be: it accepts
/// <c>POST /v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c>, keeps every body as it arrived (to search for
/// secrets byte for byte) and decodes them with the OTLP messages of <c>otlp.proto</c>.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Signal, byte[] Body)> _bodies = [];

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            var source = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            await source.CopyToAsync(body);
            lock (receiver._bodies)
            {
                receiver._bodies.Add((signal, body.ToArray()));
            }
            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Endpoint = new Uri(address);
        return receiver;
    }

    private List<byte[]> Bodies(string signal)
    {
        lock (_bodies)
        {
            return _bodies.Where(b => b.Signal == signal).Select(b => b.Body).ToList();
        }
    }

    /// <summary>Every body received so far, of any signal.</summary>
    public IReadOnlyList<byte[]> AllBodies
    {
        get { lock (_bodies) { return _bodies.Select(b => b.Body).ToList(); } }
    }

    public IReadOnlyList<ReceivedSpan> Spans =>
        Bodies("traces").SelectMany(body => TracesData.Parser.ParseFrom(body).ResourceSpans)
            .SelectMany(resource => resource.ScopeSpans.SelectMany(scope => scope.Spans.Select(span =>
                new ReceivedSpan(Attribute(resource.Resource?.Attributes, "service.name"), scope.Scope?.Name ?? "", span))))
            .ToList();

    public IReadOnlyList<ReceivedMetric> Metrics =>
        Bodies("metrics").SelectMany(body => MetricsData.Parser.ParseFrom(body).ResourceMetrics)
            .SelectMany(resource => resource.ScopeMetrics.SelectMany(scope => scope.Metrics.Select(metric =>
                new ReceivedMetric(scope.Scope?.Name ?? "", metric))))
            .ToList();

    public IReadOnlyList<LogRecord> Logs =>
        Bodies("logs").SelectMany(body => LogsData.Parser.ParseFrom(body).ResourceLogs)
            .SelectMany(resource => resource.ScopeLogs.SelectMany(scope => scope.LogRecords))
            .ToList();

    /// <summary>Waits until <paramref name="condition"/> holds for what arrived (exporters send every second or so).</summary>
    public async Task WaitUntilAsync(Func<OtlpReceiver, bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Telemetry never arrived as expected.\n{describe()}");
            }
            await Task.Delay(250);
        }
    }

    public static string? Attribute(IEnumerable<KeyValue>? attributes, string key) =>
        attributes?.FirstOrDefault(a => a.Key == key)?.Value is { } value ? Text(value) : null;

    public static string Text(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedSpan(string? Service, string Scope, Span Span)
{
    public string? this[string attribute] => OtlpReceiver.Attribute(Span.Attributes, attribute);

    public override string ToString() => $"{Service} {Scope} '{Span.Name}' [{string.Join(", ", Span.Attributes.Select(a => $"{a.Key}={OtlpReceiver.Text(a.Value)}"))}]";
}

public sealed record ReceivedMetric(string Scope, Metric Metric)
{
    public IEnumerable<IReadOnlyList<KeyValue>> PointAttributes => Metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => Metric.Gauge.DataPoints.Select(p => (IReadOnlyList<KeyValue>)p.Attributes),
        Metric.DataOneofCase.Sum => Metric.Sum.DataPoints.Select(p => (IReadOnlyList<KeyValue>)p.Attributes),
        Metric.DataOneofCase.Histogram => Metric.Histogram.DataPoints.Select(p => (IReadOnlyList<KeyValue>)p.Attributes),
        _ => [],
    };

    public override string ToString() => $"{Scope} {Metric.Name}";
}
