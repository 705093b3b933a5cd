using System.Text.Json;

namespace SnipcartGateway.Sandbox.SandboxPay;

/// <summary>
/// Sandbox Pay: a TEST-ONLY redirect provider, shaped like real ones (Bearer key, idempotency keys, a hosted
/// payment page, signed notifications), with a widget flow beside the redirect one (see SandboxWidget/), so the gateway's provider port can be exercised end to end without
/// anyone's real money or credentials. Errors are problem JSON with a machine-readable "code".
/// </summary>
public static class SandboxPayApiEndpoints
{
    public static IEndpointRouteBuilder MapSandboxPayApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/sandboxpay/v1");
        api.MapPost("/payments", CreatePaymentAsync);
        api.MapGet("/payments/{id}", GetPayment);
        api.MapPost("/refunds", RefundAsync);
        api.MapGet("/refunds/{id}", GetRefund);
        // Test hook: settles a refund left pending (SandboxPayRefundsSettleLater) to succeeded or failed.
        api.MapPost("/refunds/{id}/settle", SettleRefundAsync);
        api.MapPost("/payments/{id}/cancel", Cancel);
        // Test hook: not part of the "provider's" API, no key needed.
        api.MapPost("/payments/{id}/simulate", SimulateAsync);
        // Test hook: a refund made in the provider's dashboard (the gateway never asked for it).
        api.MapPost("/payments/{id}/dashboard-refund", DashboardRefundAsync);
        return app;
    }

    private static async Task<IResult> CreatePaymentAsync(HttpRequest request, SandboxState state)
    {
        if (Unauthorized(request, state) is { } denied)
        {
            return denied;
        }
        if (state.TakeFault(SimulatedEndpoint.SandboxPayCreatePayment) is { } fault)
        {
            return Problem(fault.StatusCode, "injected_fault", "Injected failure.");
        }
        var (body, error) = await ReadAsync<CreatePaymentBody>(request);
        if (body is null)
        {
            return Problem(400, "invalid_request", error ?? "The body is empty.");
        }
        var invalid = Validate(body);
        if (invalid is not null)
        {
            return Problem(400, "invalid_request", invalid);
        }

        var id = SandboxIds.SandboxPayPaymentId();
        var widget = body.Flow == SandboxPayFlows.Widget;
        var (payment, _) = state.CreateSandboxPayPayment(new SandboxPayPayment
        {
            Flow = widget ? SandboxPayFlows.Widget : SandboxPayFlows.Redirect,
            CheckoutToken = widget ? SandboxIds.SandboxWidgetCheckoutToken() : null,
            Id = id,
            Status = SandboxPayStatuses.RequiresAction,
            Amount = body.Amount!.Value,
            Currency = body.Currency!.ToUpperInvariant(),
            Reference = body.Reference!,
            Description = body.Description,
            ReturnUrl = body.ReturnUrl,
            CancelUrl = body.CancelUrl,
            NotificationUrl = body.NotificationUrl,
            CreatedAt = state.Now,
            IdempotencyKey = IdempotencyKey(request),
        });
        // A replayed key answers exactly what the first call answered.
        if (payment.Flow == SandboxPayFlows.Widget)
        {
            // No hosted page: the merchant's page loads {PublicUrl}/sandboxpay/widget.js and hands it the token.
            return Results.Json(new
            {
                id = payment.Id,
                status = payment.Status,
                amount = payment.Amount,
                currency = payment.Currency,
                reference = payment.Reference,
                checkoutToken = payment.CheckoutToken,
            }, statusCode: 201);
        }
        return Results.Json(new
        {
            id = payment.Id,
            status = payment.Status,
            amount = payment.Amount,
            currency = payment.Currency,
            reference = payment.Reference,
            redirectUrl = $"{state.Options.PublicBase}/sandboxpay/pay/{payment.Id}",
        }, statusCode: 201);
    }

    private static IResult GetPayment(string id, HttpRequest request, SandboxState state)
    {
        if (Unauthorized(request, state) is { } denied)
        {
            return denied;
        }
        if (state.TakeFault(SimulatedEndpoint.SandboxPayGetPayment) is { } fault)
        {
            return Problem(fault.StatusCode, "injected_fault", "Injected failure.");
        }
        var payment = state.GetSandboxPayPayment(id);
        return payment is null ? Problem(404, "not_found", $"No payment {id}.") : Results.Json(View(payment));
    }

    private static async Task<IResult> RefundAsync(HttpRequest request, SandboxState state)
    {
        if (Unauthorized(request, state) is { } denied)
        {
            return denied;
        }
        if (state.TakeFault(SimulatedEndpoint.SandboxPayRefund) is { } fault)
        {
            return Problem(fault.StatusCode, "injected_fault", "Injected failure.");
        }
        var key = IdempotencyKey(request);
        if (key is null)
        {
            return Problem(400, "idempotency_key_required", "Refunds require an Idempotency-Key header.");
        }
        var (body, error) = await ReadAsync<RefundBody>(request);
        if (body is null || string.IsNullOrWhiteSpace(body.Payment) || body.Amount is null)
        {
            return Problem(400, "invalid_request", error ?? "payment and amount are required.");
        }
        var (refund, _, code) = state.RefundSandboxPay(body.Payment, body.Amount.Value, key);
        if (state.TakeAnswerDelay(SimulatedEndpoint.SandboxPayRefund) is { } delay)
        {
            try
            {
                await Task.Delay(delay, request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The caller died after the refund was made: it never hears of it, the refund stands.
                return Results.Empty;
            }
        }
        return code switch
        {
            null => Results.Json(new { id = refund!.Id, status = refund.Status, amount = refund.Amount, payment = refund.Payment }, statusCode: 201),
            "not_found" => Problem(404, code, $"No payment {body.Payment}."),
            "payment_not_succeeded" => Problem(400, code, "Only a succeeded payment can be refunded."),
            "amount_exceeds_refundable" => Problem(400, code, "The amount exceeds what is left to refund."),
            _ => Problem(400, code, "The amount must be positive and in the currency's minor unit."),
        };
    }

    /// <summary>Voids a payment the shopper has not paid (requires_action). A final one is refused with 409.</summary>
    private static IResult Cancel(string id, HttpRequest request, SandboxState state)
    {
        if (Unauthorized(request, state) is { } denied)
        {
            return denied;
        }
        var (payment, code) = state.CancelSandboxPayPayment(id);
        return code switch
        {
            null => Results.Json(View(payment!)),
            "not_found" => Problem(404, code, $"No payment {id}."),
            _ => Problem(409, code, $"Payment {id} is {payment?.Status} and cannot be canceled."),
        };
    }

    private static async Task<IResult> SimulateAsync(string id, HttpRequest request, SandboxState state)
    {
        var (body, error) = await ReadAsync<SimulateBody>(request);
        if (body?.Status is null || !SandboxPayStatuses.All.Contains(body.Status))
        {
            return Problem(400, "invalid_request", error ?? "status must be one of " + string.Join(", ", SandboxPayStatuses.All) + ".");
        }
        var payment = state.SetSandboxPayStatus(id, body.Status, body.Notify ?? true);
        return payment is null ? Problem(404, "not_found", $"No payment {id}.") : Results.Json(View(payment));
    }

    private static IResult GetRefund(string id, HttpRequest request, SandboxState state)
    {
        if (Unauthorized(request, state) is { } denied)
        {
            return denied;
        }
        if (state.TakeFault(SimulatedEndpoint.SandboxPayRefund) is { } fault)
        {
            return Problem(fault.StatusCode, "injected_fault", "Injected failure.");
        }
        return state.GetSandboxPayRefund(id) is { } refund ? Results.Json(RefundView(refund)) : Problem(404, "not_found", $"No refund {id}.");
    }

    private static async Task<IResult> SettleRefundAsync(string id, HttpRequest request, SandboxState state)
    {
        var (body, error) = await ReadAsync<SimulateBody>(request);
        if (body?.Status is not ("succeeded" or "failed"))
        {
            return Problem(400, "invalid_request", error ?? "status must be succeeded or failed.");
        }
        return state.SettleSandboxPayRefund(id, body.Status == "succeeded") is { } refund
            ? Results.Json(RefundView(refund))
            : Problem(404, "not_found", $"No refund {id}.");
    }

    private static object RefundView(SandboxPayRefund refund) =>
        new { id = refund.Id, status = refund.Status, amount = refund.Amount, payment = refund.Payment };

    private static async Task<IResult> DashboardRefundAsync(string id, HttpRequest request, SandboxState state)
    {
        var (body, error) = await ReadAsync<DashboardRefundBody>(request);
        if (body?.Amount is not { } amount)
        {
            return Problem(400, "invalid_request", error ?? "amount is required.");
        }
        var (refund, code) = state.RefundFromDashboard(id, amount);
        return code is null
            ? Results.Json(new { id = refund!.Id, status = refund.Status, amount = refund.Amount, payment = refund.Payment }, statusCode: 201)
            : Problem(code == "not_found" ? 404 : 400, code, $"The refund was refused ({code}).");
    }

    internal static object View(SandboxPayPayment payment) => new
    {
        id = payment.Id,
        status = payment.Status,
        amount = payment.Amount,
        currency = payment.Currency,
        reference = payment.Reference,
        refundedAmount = payment.RefundedAmount,
    };

    private static string? Validate(CreatePaymentBody body)
    {
        if (body.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetter))
        {
            return "currency must be an ISO-4217 code.";
        }
        if (body.Amount is not { } amount || amount <= 0)
        {
            return "amount must be a positive number in major units.";
        }
        if (!SandboxMoney.HasValidPrecision(amount, currency))
        {
            return $"amount has more decimals than {currency.ToUpperInvariant()} allows.";
        }
        if (string.IsNullOrWhiteSpace(body.Reference) || body.Reference.Length > 100)
        {
            return "reference is required (at most 100 characters).";
        }
        if (body.Flow is not (null or SandboxPayFlows.Redirect or SandboxPayFlows.Widget))
        {
            return "flow must be \"redirect\" or \"widget\".";
        }
        // A widget payment sends nobody anywhere: no return or cancel URL.
        var redirect = body.Flow != SandboxPayFlows.Widget;
        foreach (var (name, value, required) in new[] { ("returnUrl", body.ReturnUrl, redirect), ("cancelUrl", body.CancelUrl, redirect), ("notificationUrl", body.NotificationUrl, false) })
        {
            if (value is null ? required : !IsHttpUrl(value))
            {
                return $"{name} must be an absolute http(s) URL.";
            }
        }
        return null;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static IResult? Unauthorized(HttpRequest request, SandboxState state)
    {
        var expected = state.Options.SandboxPay.SecretKey;
        var header = request.Headers.Authorization.ToString();
        var ok = !string.IsNullOrEmpty(expected) && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && header["Bearer ".Length..].Trim() == expected;
        return ok ? null : Problem(401, "unauthorized", "Missing or invalid Bearer API key.");
    }

    private static string? IdempotencyKey(HttpRequest request) =>
        request.Headers.TryGetValue("Idempotency-Key", out var value) && !string.IsNullOrWhiteSpace(value) ? value.ToString() : null;

    private static async Task<(T? Body, string? Error)> ReadAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            return (await JsonSerializer.DeserializeAsync<T>(request.Body, JsonSerializerOptions.Web, request.HttpContext.RequestAborted), null);
        }
        catch (JsonException ex)
        {
            return (null, "The body is not valid JSON: " + ex.Message);
        }
    }

    internal static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: code, extensions: new Dictionary<string, object?> { ["code"] = code });

    private sealed record CreatePaymentBody(decimal? Amount, string? Currency, string? Reference, string? Description, string? ReturnUrl, string? CancelUrl, string? NotificationUrl, string? Flow);

    private sealed record RefundBody(string? Payment, decimal? Amount);

    private sealed record SimulateBody(string? Status, bool? Notify);

    private sealed record DashboardRefundBody(decimal? Amount);
}
