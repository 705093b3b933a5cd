using System.Collections.Concurrent;
using System.Net;
using System.Text;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage;

/// <summary>
/// A real HTTP server on a loopback port that records each request's method, path and headers and answers with a
/// fixed status and body. Lets tests see exactly what the client put on the wire, without mocking the transport.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public LoopbackHttpServer(int status = 200, string body = "{\"value\":[]}", string contentType = "application/json")
    {
        Status = status;
        Body = body;
        ContentType = contentType;
        var port = AzuriteFixture.FreeTcpPort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUri { get; }
    public int Status { get; set; }
    public string Body { get; set; }
    public string ContentType { get; set; }
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>When set, answers each request instead of the fixed status and body.</summary>
    public Func<RecordedRequest, LoopbackResponse>? Respond { get; set; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "", headers);
            Requests.Enqueue(request);
            var answer = Respond?.Invoke(request) ?? new LoopbackResponse(Status, Body);
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType ?? ContentType;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by exception when the listener closes.
        }
    }
}

public sealed record LoopbackResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, string? ContentType = null);

public sealed record RecordedRequest(string Method, string RawUrl, IReadOnlyDictionary<string, string> Headers);
