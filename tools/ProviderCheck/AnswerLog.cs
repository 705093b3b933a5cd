using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace SnipcartGateway.ProviderCheck;

/// <summary>
/// Every request the adapters sent and every answer they got, for the report the merchant can send to support.
/// Without query strings (Snapplify's credentials travel there), without headers (Authorization), and with every
/// configured secret and any access token replaced by <c>***</c>.
/// </summary>
public sealed partial class AnswerLog(IReadOnlyCollection<string> secrets)
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IEnumerable<string> Lines => _lines;

    public void Add(string line) => _lines.Enqueue(Scrub(line));

    public string Scrub(string text)
    {
        foreach (var secret in secrets.Where(s => s.Length >= 4).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal).Replace(Uri.EscapeDataString(secret), "***", StringComparison.Ordinal);
        }
        return AccessToken().Replace(text, "\"access_token\":\"***\"");
    }

    public DelegatingHandler Handler() => new Recorder(this);

    [GeneratedRegex("\"access_token\"\\s*:\\s*\"[^\"]*\"")]
    private static partial Regex AccessToken();

    private sealed class Recorder(AnswerLog log) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var target = request.RequestUri is { } uri ? uri.GetLeftPart(UriPartial.Path) : "?";
            var sent = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                log.Add($"{request.Method} {target}\n  sent: {sent}\n  answer: {(int)response.StatusCode} {body}");
                return response;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                log.Add($"{request.Method} {target}\n  sent: {sent}\n  no answer: {ex.GetType().Name}");
                throw;
            }
        }
    }
}
