using System.Text.Json;

namespace SnipcartGateway.Sandbox.Snipcart;

/// <summary>
/// Snipcart's custom payment gateway API (base {PublicUrl}/api), as documented in its technical reference.
/// Where the docs are silent (error bodies, repeated confirmations) the sandbox picks the lenient reading and
/// records everything so tests can judge the gateway's behaviour instead. Repeats: nothing documents what a
/// second POST /payment for a session does. Community gateways post "processing" then "processed" to one
/// session, so a new state is accepted; a repeated state is accepted too (the same answer, the session
/// unchanged) and recorded, so a test counts how many times the gateway said "processed". Refusing a repeat
/// (one third-party test double does) would turn the gateway's only at-least-once window into an error loop.
/// </summary>
public static class SnipcartSimulatorEndpoints
{
    public const string CorsPolicy = "snipcart-public";
    private static readonly HashSet<string> States = new(StringComparer.Ordinal) { "processing", "processed", "invalidated", "failed" };

    public static IEndpointRouteBuilder MapSnipcartSimulator(this IEndpointRouteBuilder app)
    {
        // Snipcart's official SleekyPay example calls the public endpoints from the browser.
        var publicApi = app.MapGroup("/api/public/custom-payment-gateway").RequireCors(CorsPolicy);

        publicApi.MapGet("/validate", (string? publicToken, SandboxState state) =>
        {
            if (state.TakeFault(SimulatedEndpoint.Validate) is { } fault)
            {
                return Results.StatusCode(fault.StatusCode);
            }
            // Only the status is documented: 2xx means the token is Snipcart's. No body.
            return state.FindSessionByToken(publicToken) is null ? Results.NotFound() : Results.Ok();
        });

        publicApi.MapGet("/payment-session", (string? publicToken, SandboxState state) =>
        {
            if (state.TakeFault(SimulatedEndpoint.PaymentSession) is { } fault)
            {
                return Results.StatusCode(fault.StatusCode);
            }
            var session = state.FindSessionByToken(publicToken);
            return session is null
                ? Results.NotFound()
                // "state" is not in Snipcart's reference but is in the typings of its own SleekyPay example: the
                // session's latest payment state, absent before any. Gateways read it to avoid repeating a state.
                : Results.Json(new { invoice = session.Invoice, id = session.Id, paymentAuthorizationRedirectUrl = session.PaymentAuthorizationRedirectUrl, state = session.State });
        });

        app.MapPost("/api/private/custom-payment-gateway/payment", CreatePaymentAsync);
        return app;
    }

    private static async Task<IResult> CreatePaymentAsync(HttpRequest request, SandboxState state)
    {
        var keyMode = KeyMode(request, state.Options);
        var call = new PaymentCallRecord { At = state.Now, KeyMode = keyMode, Accepted = false, StatusCode = 0 };

        IResult Refuse(int status, string code, string message, PaymentCallRecord record)
        {
            state.RecordPaymentCall(record with { StatusCode = status, Reason = message });
            return Results.Json(new { error = code, message }, statusCode: status);
        }

        if (keyMode is null)
        {
            return Refuse(401, "unauthorized", "Missing or unknown Bearer secret API key.", call);
        }
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(415, "unsupported_media_type", "Only application/json is accepted.", call);
        }

        PaymentBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<PaymentBody>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Refuse(400, "invalid_json", "The body is not valid JSON: " + ex.Message, call);
        }
        if (body is null)
        {
            return Refuse(400, "invalid_json", "The body is empty.", call);
        }

        call = call with
        {
            SessionId = body.PaymentSessionId,
            State = body.State,
            TransactionId = body.TransactionId,
            Error = body.Error is null ? null : new SandboxPaymentError(body.Error.Code ?? "", body.Error.Message),
            Instructions = body.Instructions,
            RefundsUrl = body.Links?.Refunds,
        };

        var session = string.IsNullOrWhiteSpace(body.PaymentSessionId) ? null : state.GetSession(body.PaymentSessionId);
        if (session is null)
        {
            return Refuse(400, "invalid_payment_session", "paymentSessionId is missing or unknown.", call);
        }
        if (session.Mode != keyMode)
        {
            return Refuse(401, "unauthorized", $"The key is the {keyMode.Value.ToString().ToLowerInvariant()} key; the session is in {session.Mode.ToString().ToLowerInvariant()} mode.", call);
        }
        if (string.IsNullOrWhiteSpace(body.TransactionId))
        {
            return Refuse(400, "invalid_transaction_id", "transactionId is required.", call);
        }
        if (body.State is null || !States.Contains(body.State))
        {
            return Refuse(400, "invalid_state", "state must be processing, processed, invalidated or failed.", call);
        }
        if (body.Error is not null && string.IsNullOrWhiteSpace(body.Error.Code))
        {
            return Refuse(400, "invalid_error", "error.code is required when error is given.", call);
        }

        if (state.TakeDelay(SimulatedEndpoint.CreatePayment) is { } delay)
        {
            try
            {
                await Task.Delay(delay, request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller is gone (its process died): Snipcart never heard this call out, nothing changes.
                state.RecordPaymentCall(call with { StatusCode = 499, Reason = "caller went away during the injected delay" });
                return Results.Empty;
            }
        }

        if (state.TakeFault(SimulatedEndpoint.CreatePayment) is { } fault)
        {
            // AfterApplying: Snipcart took the payment but the answer failed — the gateway cannot tell.
            state.RecordPaymentCall(call with { Accepted = fault.AfterApplying, StatusCode = fault.StatusCode, Reason = "injected fault" });
            return Results.StatusCode(fault.StatusCode);
        }

        state.RecordPaymentCall(call with { Accepted = true, StatusCode = 200 });
        return Results.Json(new { returnUrl = $"{state.Options.PublicBase}/store/orders/{Uri.EscapeDataString(session.Id)}" });
    }

    private static SandboxMode? KeyMode(HttpRequest request, SandboxOptions options)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var key = header["Bearer ".Length..].Trim();
        if (key.Length == 0)
        {
            return null;
        }
        if (key == options.SecretKeys.Test)
        {
            return SandboxMode.Test;
        }
        return key == options.SecretKeys.Live ? SandboxMode.Live : null;
    }

    private sealed record PaymentBody(string? PaymentSessionId, string? State, string? TransactionId, ErrorBody? Error, string? Instructions, LinksBody? Links);

    private sealed record ErrorBody(string? Code, string? Message);

    private sealed record LinksBody(string? Refunds);
}
