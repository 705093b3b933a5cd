using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>
/// SmartPay by J.P. Morgan's REST API as its docs describe it, under /jpmsmartpay: the OAuth token endpoint,
/// Create Checkout, Get Payment Status, capture, refund and cancelOrRefund (keyed by modificationId). Every API call
/// must carry Basic base64(merchantKey:authenticationKey) or a live Bearer token, and the headers the docs require
/// (Content-Type, Accept-Language, Origin, User-Agent); wrong credentials get 401 as the real service would.
/// </summary>
public static class JpmSmartPayApiEndpoints
{
    public const string CorsPolicy = "jpmsmartpay-widget";

    public static IEndpointRouteBuilder MapJpmSmartPayApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/jpmsmartpay/oauth2/token", TokenAsync);
        var api = app.MapGroup("/jpmsmartpay");
        api.MapPost("/payment/creation", CreateAsync);
        api.MapGet("/payment/status/{transactionId}", StatusAsync);
        api.MapPost("/payment/capture", (HttpRequest r, JpmSmartPayState s) => ModifyAsync(r, s, "CAPTURE"));
        api.MapPost("/payment/refund", (HttpRequest r, JpmSmartPayState s) => ModifyAsync(r, s, "REFUND"));
        api.MapPost("/payment/cancelOrRefund", (HttpRequest r, JpmSmartPayState s) => ModifyAsync(r, s, "CANCEL_OR_REFUND"));
        // Test hooks: not SmartPay's API, no credentials.
        api.MapPost("/test/transactions/{transactionId}/simulate", SimulateAsync);
        api.MapPost("/test/oauth/expire", (JpmSmartPayState s) => { s.ExpireTokens(); return Results.NoContent(); });
        api.MapJpmSmartPayCaptureHooks();
        return app;
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, JpmSmartPayState state)
    {
        if (!request.HasFormContentType)
        {
            return Results.Json(new { error = "invalid_request" }, statusCode: 400);
        }
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }
        var settings = state.Settings;
        if (!Same(form["client_id"].ToString(), settings.ClientId) || !Same(form["client_secret"].ToString(), settings.ClientSecret))
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 400);
        }
        var (token, lifetime) = state.IssueToken();
        return Results.Json(new { access_token = token, expires_in = (int)lifetime.TotalSeconds, token_type = "Bearer" });
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, JpmSmartPayState state)
    {
        var text = await ReadTextAsync(request);
        if (Refuse(request, state, text) is { } refused)
        {
            return refused;
        }
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null)
        {
            return Record(request, state, text, Error(400, "INVALID_REQUEST", "The body is not a JSON object."));
        }
        var invalid = ValidateCreation(body, state.Settings.MerchantKey);
        if (invalid is not null)
        {
            return Record(request, state, text, Error(400, "INVALID_REQUEST", invalid));
        }
        var payment = body["payment"]!.AsObject();
        var transaction = state.Create(
            body["partnerReference"]!.GetValue<string>(),
            payment["amount"]!.GetValue<decimal>(),
            payment["currencyCode"]!.GetValue<string>(),
            payment["description"]?.GetValue<string>(),
            text);
        if (transaction is null)
        {
            return Record(request, state, text, Error(409, "DUPLICATE_PARTNER_REFERENCE", "partnerReference must be unique per merchant."));
        }
        return Record(request, state, text, Results.Json(new
        {
            transactionId = transaction.TransactionId,
            checkoutToken = transaction.CheckoutToken,
            paymentStatus = transaction.Status,
            requestTime = transaction.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        }));
    }

    private static async Task<IResult> StatusAsync(string transactionId, HttpRequest request, JpmSmartPayState state)
    {
        // Recorded as sent, so tests see that the gateway's GET carries no body (not even an empty one).
        var text = request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding") ? null : await ReadTextAsync(request);
        if (Refuse(request, state, text) is { } refused)
        {
            return refused;
        }
        var transaction = state.ReadStatus(transactionId);
        return Record(request, state, text, transaction is null
            ? Error(404, "TRANSACTION_NOT_FOUND", $"No transaction {transactionId}.")
            : Results.Json(View(transaction)));
    }

    private static async Task<IResult> ModifyAsync(HttpRequest request, JpmSmartPayState state, string kind)
    {
        var text = await ReadTextAsync(request);
        if (Refuse(request, state, text) is { } refused)
        {
            return refused;
        }
        ModificationBody? body;
        try
        {
            body = JsonSerializer.Deserialize<ModificationBody>(text, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is null || string.IsNullOrWhiteSpace(body.TransactionId) || string.IsNullOrWhiteSpace(body.ModificationId) || body.ModificationId.Length > 64)
        {
            return Record(request, state, text, Error(400, "INVALID_REQUEST", "transactionId and modificationId (at most 64 characters) are required."));
        }
        if (!Same(body.MerchantKey, state.Settings.MerchantKey))
        {
            return Record(request, state, text, Error(400, "INVALID_MERCHANT_KEY", "merchantKey is not this merchant's."));
        }
        var existing = state.Get(body.TransactionId);
        if (body.ModifiedAmount is { } modified && existing is not null && !string.Equals(modified.CurrencyCode, existing.CurrencyCode, StringComparison.Ordinal))
        {
            return Record(request, state, text, Error(400, "INVALID_CURRENCY", "currencyCode is not the transaction's."));
        }
        var (transaction, code) = state.Modify(body.TransactionId, body.ModificationId, kind, body.ModifiedAmount?.Amount);
        return Record(request, state, text, code switch
        {
            null => Results.Json(state.Settings.ModificationsInAnswers ? View(transaction!) : View(transaction! with { Modifications = [] })),
            "TRANSACTION_NOT_FOUND" => Error(404, code, $"No transaction {body.TransactionId}."),
            _ => Error(422, code, "The modification was refused."),
        });
    }

    private static async Task<IResult> SimulateAsync(string transactionId, HttpRequest request, JpmSmartPayState state)
    {
        SimulateBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SimulateBody>(request.Body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body?.Status is null)
        {
            return Error(400, "INVALID_REQUEST", "status is required; path (statuses the next reads move through) and notify are optional.");
        }
        try
        {
            var transaction = state.SetStatus(transactionId, body.Status, body.Path, body.Notify ?? false);
            return transaction is null ? Error(404, "TRANSACTION_NOT_FOUND", $"No transaction {transactionId}.") : Results.Json(View(transaction));
        }
        catch (ArgumentException ex)
        {
            return Error(400, "INVALID_REQUEST", ex.Message);
        }
    }

    /// <summary>The unified transaction model (status and modification answers alike).</summary>
    internal static object View(JpmTransactionRecord t) => new
    {
        transactionId = t.TransactionId,
        reconciliationReferenceId = t.ReconciliationReferenceId,
        description = t.Description,
        paymentStatus = t.Status,
        creationDate = Iso(t.CreatedAt),
        lastStatusDate = Iso(t.LastStatusAt),
        transactionOverview = new
        {
            transactionId = t.TransactionId,
            mit = false,
            amount = t.Amount,
            currencyCode = t.CurrencyCode,
            paymentMethod = t.PaymentMethod,
        },
        modifications = t.Modifications.Select(m => new
        {
            modificationId = m.ModificationId,
            modificationStatus = m.Status,
            creationDate = Iso(m.At),
            modificationData = new { type = m.Type, amount = m.Amount, currencyCode = m.CurrencyCode },
        }),
    };

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string? ValidateCreation(JsonObject body, string merchantKey)
    {
        if (!Same(body["merchantKey"]?.GetValueKind() == JsonValueKind.String ? body["merchantKey"]!.GetValue<string>() : null, merchantKey))
        {
            return "merchantKey is missing or not this merchant's.";
        }
        var reference = body["partnerReference"]?.GetValueKind() == JsonValueKind.String ? body["partnerReference"]!.GetValue<string>() : null;
        if (reference is not null && (reference.Length is 0 or > 64 || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')))
        {
            return "partnerReference: at most 64 characters of [a-zA-Z0-9-_.:].";
        }
        if (reference is null)
        {
            return "partnerReference is required by this simulator (the gateway always sends one).";
        }
        if (body["payment"] is not JsonObject payment)
        {
            return "payment is required.";
        }
        if (payment["amount"]?.GetValueKind() != JsonValueKind.Number)
        {
            return "payment.amount must be a number.";
        }
        // decimal 18.2: the raw JSON number may not have more than two decimals.
        var rawAmount = payment["amount"]!.ToJsonString();
        var dot = rawAmount.IndexOf('.');
        if (dot >= 0 && rawAmount.Length - dot - 1 > 2 || payment["amount"]!.GetValue<decimal>() <= 0)
        {
            return "payment.amount must be positive with at most two decimals.";
        }
        var currency = payment["currencyCode"]?.GetValueKind() == JsonValueKind.String ? payment["currencyCode"]!.GetValue<string>() : "";
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
        {
            return "payment.currencyCode must be an upper-case ISO-4217 code.";
        }
        var description = payment["description"]?.GetValueKind() == JsonValueKind.String ? payment["description"]!.GetValue<string>() : null;
        if (description is { Length: > 127 })
        {
            return "payment.description: at most 127 characters.";
        }
        if (body["billingAddress"] is not JsonObject)
        {
            return "billingAddress is required.";
        }
        if ((body["consumer"] is JsonObject) == (body["businessConsumer"] is JsonObject))
        {
            return "Exactly one of consumer and businessConsumer is required.";
        }
        return null;
    }

    /// <summary>Authentication and the required headers; null when the call may go on.</summary>
    private static IResult? Refuse(HttpRequest request, JpmSmartPayState state, string? body)
    {
        var settings = state.Settings;
        var header = request.Headers.Authorization.ToString();
        var authorized = false;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.MerchantKey}:{settings.AuthenticationKey}"));
            authorized = Same(header[6..].Trim(), expected);
        }
        else if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            authorized = state.IsValidToken(header[7..].Trim());
        }
        if (!authorized)
        {
            return Record(request, state, body, Results.Json(new { message = "Unauthorized" }, statusCode: 401));
        }
        foreach (var name in new[] { "Origin", "User-Agent", "Accept-Language" })
        {
            if (string.IsNullOrWhiteSpace(request.Headers[name]))
            {
                return Record(request, state, body, Error(400, "MISSING_HEADER", $"The {name} header is required."));
            }
        }
        // Content-Type describes a body: required on the POSTs, not on a GET (which has none).
        if (!HttpMethods.IsGet(request.Method)
            && !string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Record(request, state, body, Error(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json."));
        }
        return null;
    }

    private static IResult Record(HttpRequest request, JpmSmartPayState state, string? body, IResult result)
    {
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200;
        var header = request.Headers.Authorization.ToString();
        state.RecordCall(new JpmCallRecord(
            state.Now, request.Method, request.Path.Value ?? "", status,
            header.Split(' ', 2)[0] is { Length: > 0 } scheme ? scheme : null,
            request.Headers.Origin.ToString(), request.Headers.AcceptLanguage.ToString(), request.Headers.UserAgent.ToString(),
            request.ContentType, body));
        return result;
    }

    internal static IResult Error(int status, string code, string message) =>
        Results.Json(new { code, message }, statusCode: status);

    private static bool Same(string? given, string? expected) =>
        given is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static async Task<string> ReadTextAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }

    private sealed record ModificationBody(string? TransactionId, string? MerchantKey, string? ModificationId, AmountBody? ModifiedAmount);

    private sealed record AmountBody(decimal Amount, string? CurrencyCode);

    private sealed record SimulateBody(string? Status, List<string>? Path, bool? Notify);
}
