using System.Text.Json;

namespace SnipcartGateway.Sandbox.Snapplify;

/// <summary>
/// Snapplify Pay's API as its docs and its own WooCommerce plugin show it, under {PublicUrl}/snapplify: every call
/// is a POST with <c>client</c> and <c>secret</c> in the query string; errors are <c>{"code", "message"}</c> (the
/// plugin treats a <c>code</c> or a non-200 as an error). Where nothing is documented (the exact error codes and
/// statuses) the simulator picks plain ones; docs/providers/snapplify.md lists what is inferred.
/// </summary>
public static class SnapplifyApiEndpoints
{
    public const string Prefix = "/snapplify";

    public static IEndpointRouteBuilder MapSnapplifyApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Prefix + "/payment/request", RequestAsync);
        app.MapPost(Prefix + "/payment/validate", ValidateAsync);
        app.MapPost(Prefix + "/payment/ipn/validate", ValidateIpnAsync);
        return app;
    }

    private static async Task<IResult> RequestAsync(HttpRequest request, SnapplifyState state, SandboxState sandbox)
    {
        if (Client(request, state) is not { } client)
        {
            return Unauthorised();
        }
        if (state.TakeRequestFault() is { } fault)
        {
            return Error(fault.HttpStatus, fault.Code, fault.Message);
        }
        RequestBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<RequestBody>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return Error(400, "INVALID_REQUEST", "The body is not valid JSON.");
        }
        if (body is null)
        {
            return Error(400, "INVALID_REQUEST", "The body is empty.");
        }
        if (Invalid(body, state.Options) is { } problem)
        {
            return Error(400, problem.Code, problem.Message);
        }

        var now = state.Now;
        var payment = state.Add(new SnapplifySimPayment
        {
            Client = client,
            Token = Guid.NewGuid().ToString(),
            TransactionId = Guid.NewGuid().ToString(),
            ReferenceCode = body.ReferenceCode!,
            Amount = body.Amount!.Value,
            Currency = body.Currency!.ToUpperInvariant(),
            Country = body.Country,
            Description = body.Description,
            RedirectUrl = body.RedirectUrl!,
            DeclinedUrl = body.DeclinedUrl,
            NotificationUrl = body.NotificationUrl,
            CreatedDate = now,
            UpdatedDate = now,
        });
        return Results.Json(new
        {
            token = payment.Token,
            redirectUrl = $"{sandbox.Options.PublicBase}{Prefix}/payment/submit?client={Uri.EscapeDataString(client)}&token={Uri.EscapeDataString(payment.Token)}",
        });
    }

    /// <summary><c>POST /payment/validate?client&amp;secret&amp;token</c>, no body, as the plugin calls it. Answers
    /// <c>{"payment": {...}}</c>, or <c>{"payment": {"code", "message"}}</c> for a token the client does not own (the
    /// plugin reads the error inside <c>payment</c>).</summary>
    private static async Task<IResult> ValidateAsync(HttpRequest request, SnapplifyState state)
    {
        await Task.Delay(state.Options.AnswerDelay, request.HttpContext.RequestAborted);
        if (state.ValidateHangs)
        {
            await state.HangAsync("/payment/validate", request.HttpContext.RequestAborted);
        }
        if (Client(request, state) is not { } client)
        {
            return Unauthorised();
        }
        var token = request.Query["token"].ToString();
        var before = state.Get(token);
        if (string.IsNullOrEmpty(token) || state.Validate(client, token) is not { } found)
        {
            return Results.Json(new { payment = new { code = "INVALID_TOKEN", message = "No payment for this token." } });
        }
        // The two ways the documents leave open (SnapplifySimulatorOptions): a validate allowed once, a NEW one refused.
        if (state.Options.ValidateOnce && before is { Validated: true })
        {
            return Results.Json(new { payment = new { code = "ALREADY_VALIDATED", message = "This payment was validated already." } });
        }
        if (state.Options.ValidateRefusesNew && found.Payment.PaymentState == SnapplifyStates.New)
        {
            return Results.Json(new { payment = new { code = "PAYMENT_NOT_COMPLETE", message = "The payment has not been completed." } });
        }
        return Results.Json(new { payment = found.Payment.ToWire(found.Tamper) });
    }

    /// <summary>The IPN check: <c>VERIFIED</c> for a body the simulator sent, byte for byte, for one of the client's
    /// payments; <c>INVALID</c> for anything else.</summary>
    private static async Task<IResult> ValidateIpnAsync(HttpRequest request, SnapplifyState state)
    {
        await Task.Delay(state.Options.AnswerDelay, request.HttpContext.RequestAborted);
        if (state.IpnValidateHangs)
        {
            await state.HangAsync("/payment/ipn/validate", request.HttpContext.RequestAborted);
        }
        if (Client(request, state) is not { } client)
        {
            return Unauthorised();
        }
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return Results.Text(state.SentIpn(client, body) ? "VERIFIED" : "INVALID", "text/plain");
    }

    private static (string Code, string Message)? Invalid(RequestBody body, SnapplifySimulatorOptions options)
    {
        if (string.IsNullOrWhiteSpace(body.ReferenceCode))
        {
            return ("INVALID_REFERENCE_CODE", "referenceCode is required.");
        }
        if (body.Amount is not { } amount || amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            return ("INVALID_AMOUNT", "amount must be a positive number with at most two decimals.");
        }
        if (body.Currency is not { Length: 3 } currency || !options.Currencies.Contains(currency, StringComparer.Ordinal))
        {
            return ("UNSUPPORTED_CURRENCY", $"currency must be one of {string.Join(", ", options.Currencies)} (upper case).");
        }
        if (body.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            return ("INVALID_COUNTRY", "country must be an upper-case ISO-3166 two-letter code.");
        }
        foreach (var (name, value, required) in new[] { ("redirectUrl", body.RedirectUrl, true), ("declinedUrl", body.DeclinedUrl, false), ("notificationUrl", body.NotificationUrl, false) })
        {
            if (value is null ? required : !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ("INVALID_URL", $"{name} must be an absolute http(s) URL.");
            }
        }
        return null;
    }

    /// <summary>The client whose secret the query carries, or null.</summary>
    private static string? Client(HttpRequest request, SnapplifyState state)
    {
        var client = request.Query["client"].ToString();
        return state.Options.IsClient(client, request.Query["secret"].ToString()) ? client : null;
    }

    private static IResult Unauthorised() => Error(401, "UNAUTHORISED", "Invalid client or secret.");

    internal static IResult Error(int status, string code, string message) => Results.Json(new { code, message }, statusCode: status);

    private sealed record RequestBody(string? ReferenceCode, decimal? Amount, string? Currency, string? Country, string? Description,
        string? RedirectUrl, string? DeclinedUrl, string? NotificationUrl);
}
