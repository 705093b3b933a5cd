using System.Text.Json;

namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>
/// Smartpay's REST API as its SDKs call it, under <c>/smartpay/v1</c> (so <c>Providers__Smartpay__ApiBaseUrl</c> =
/// <c>{sandbox}/smartpay/v1</c>): <c>Authorization: Basic &lt;raw secret key&gt;</c> (the key decides test or live,
/// and objects of one mode are invisible to the other), <c>Idempotency-Key</c> on writes (a repeat answers what the
/// first call answered), errors as <c>{statusCode, errorCode, message, details}</c>.
/// </summary>
public static partial class SmartpayApiEndpoints
{
    public const string Prefix = "/smartpay/v1";

    public static IEndpointRouteBuilder MapSmartpayApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix);
        api.MapPost("/checkout-sessions", (HttpContext http, SmartpayState state) => WriteAsync(http, state, SmartpaySimCallKind.CreateCheckoutSession, CreateSession(state)));
        api.MapGet("/checkout-sessions/{id}", (string id, HttpContext http, SmartpayState state) => Read(http, state, null, test =>
            state.GetSession(id) is { } s && s.Test == test && state.GetOrder(s.OrderId) is { } o
                ? (200, SmartpaySimViews.Session(s, o, CheckoutUrl(state, s)))
                : NotFound("checkout-session", id)));
        api.MapGet("/orders/{id}", (string id, HttpContext http, SmartpayState state) => Read(http, state, SmartpaySimCallKind.GetOrder, test =>
            state.GetOrder(id) is { } o && o.Test == test ? (200, SmartpaySimViews.Order(o)) : NotFound("order", id)));
        api.MapPut("/orders/{id}/cancellation", (string id, HttpContext http, SmartpayState state) => WriteAsync(http, state, null, (test, _) =>
            state.GetOrder(id) is not { } o || o.Test != test ? NotFound("order", id)
            : o.Status == SmartpaySimStatuses.RequiresAuthorization && !state.Options.CancelAwaitingAuthorization
                ? Error(400, "order.cannot-cancel", $"Order {id} is {o.Status} and cannot be cancelled.")
            : state.CancelOrder(id) is { } canceled ? (200, SmartpaySimViews.Order(canceled))
            : Error(400, "order.cannot-cancel", $"Order {id} is {o.Status} and cannot be cancelled.")));
        api.MapPost("/payments", (HttpContext http, SmartpayState state) => WriteAsync(http, state, null, CreatePayment(state)));
        api.MapGet("/payments/{id}", (string id, HttpContext http, SmartpayState state) => Read(http, state, SmartpaySimCallKind.GetPayment, test =>
            state.GetPayment(id) is { } p && p.Test == test ? (200, SmartpaySimViews.Payment(p)) : NotFound("payment", id)));
        api.MapPost("/refunds", (HttpContext http, SmartpayState state) => WriteAsync(http, state, SmartpaySimCallKind.CreateRefund, CreateRefund(state)));
        api.MapGet("/refunds/{id}", (string id, HttpContext http, SmartpayState state) => Read(http, state, null, test =>
            state.GetRefund(id) is { } r && r.Test == test ? (200, SmartpaySimViews.Refund(r)) : NotFound("refund", id)));
        api.MapPost("/webhook-endpoints", (HttpContext http, SmartpayState state) => WriteAsync(http, state, null, CreateWebhookEndpoint(state)));
        api.MapGet("/webhook-endpoints", (HttpContext http, SmartpayState state) => Read(http, state, null, test =>
        {
            var data = state.WebhookEndpoints.Where(e => e.Test == test).Select(e => SmartpaySimViews.WebhookEndpoint(e, withSecret: true)).ToList();
            return (200, new { @object = "collection", pageToken = "", nextPageToken = (string?)null, maxResults = 20, results = data.Count, data });
        }));
        api.MapGet("/webhook-endpoints/{id}", (string id, HttpContext http, SmartpayState state) => Read(http, state, null, test =>
            state.GetWebhookEndpoint(id) is { } e && e.Test == test ? (200, SmartpaySimViews.WebhookEndpoint(e, withSecret: true)) : NotFound("webhook-endpoint", id)));
        api.MapDelete("/webhook-endpoints/{id}", (string id, HttpContext http, SmartpayState state) => Read(http, state, null, test =>
            state.GetWebhookEndpoint(id) is { } e && e.Test == test && state.RemoveWebhookEndpoint(id) ? (204, null) : NotFound("webhook-endpoint", id)));
        return app;
    }

    internal static string CheckoutUrl(SmartpayState state, SmartpaySimSession session) =>
        $"{PublicBase(state)}/smartpay/checkout/{Uri.EscapeDataString(session.Id)}";

    private static string PublicBase(SmartpayState state) => state.PublicBase;
    // ---- plumbing ---------------------------------------------------------------------------------------------

    private static IResult Read(HttpContext http, SmartpayState state, SmartpaySimCallKind? kind, Func<bool, (int Status, object? Body)> read)
    {
        var (test, denied) = Authenticate(http, state);
        (int Status, object? Body) answer = denied ?? (kind is { } k && state.TakeFault(k) is { } fault
            ? Error(fault, "internal-error", "Injected failure.")
            : read(test));
        var json = answer.Body is null ? "" : JsonSerializer.Serialize(answer.Body);
        Record(http, state, null, answer.Status);
        return Answer(answer.Status, json);
    }

    private static async Task<IResult> WriteAsync(HttpContext http, SmartpayState state, SmartpaySimCallKind? kind, Func<bool, JsonElement, (int Status, object? Body)> write)
    {
        string text;
        using (var reader = new StreamReader(http.Request.Body))
        {
            text = await reader.ReadToEndAsync(http.RequestAborted);
        }
        var (test, denied) = Authenticate(http, state);
        var key = http.Request.Headers.TryGetValue("Idempotency-Key", out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString() : null;
        int status;
        string json;
        if (denied is { } refusal)
        {
            (status, json) = (refusal.Status, JsonSerializer.Serialize(refusal.Body));
        }
        else if (kind is { } k && state.TakeFault(k) is { } fault)
        {
            (status, json) = (fault, JsonSerializer.Serialize(Error(fault, "internal-error", "Injected failure.").Body));
        }
        else
        {
            (status, json, _) = state.Idempotent(test, http.Request.Method + " " + http.Request.Path, key, () =>
            {
                JsonElement body;
                try
                {
                    body = JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text).RootElement.Clone();
                }
                catch (JsonException ex)
                {
                    var bad = Error(400, "request.invalid", "The body is not valid JSON.", [ex.Message]);
                    return (bad.Status, JsonSerializer.Serialize(bad.Body));
                }
                var answer = body.ValueKind == JsonValueKind.Object ? write(test, body) : Error(400, "request.invalid", "The body must be a JSON object.");
                return (answer.Status, answer.Body is null ? "" : JsonSerializer.Serialize(answer.Body));
            });
        }
        Record(http, state, text, status, key);
        return Answer(status, json);
    }

    private static IResult Answer(int status, string json) =>
        status == 204 ? Results.StatusCode(204) : Results.Content(json, "application/json", statusCode: status);

    private static void Record(HttpContext http, SmartpayState state, string? body, int status, string? key = null) =>
        state.RecordCall(new SmartpaySimCall(state.Now, http.Request.Method, http.Request.Path.Value ?? "",
            http.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, key, body, status));

    /// <summary>The raw key after "Basic ", as every SDK sends it. Anything else is Smartpay's 401.</summary>
    private static (bool Test, (int Status, object? Body)? Denied) Authenticate(HttpContext http, SmartpayState state)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Basic ", StringComparison.Ordinal) ? header["Basic ".Length..].Trim() : null;
        return state.ModeOfKey(key) is { } test
            ? (test, null)
            : (false, Error(401, "unauthorized", "Missing or invalid API key: send Authorization: Basic <secret key>."));
    }

    internal static (int Status, object? Body) Error(int status, string code, string message, IReadOnlyList<string>? details = null) =>
        (status, SmartpaySimViews.Error(status, code, message, details));

    private static (int Status, object? Body) NotFound(string kind, string id) => Error(404, kind + ".not-found", $"No {kind} {id}.");
}
