using System.Globalization;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Payments;
using SnipcartGateway.Storage.Support;
using SnipcartGateway.Support;

namespace SnipcartGateway.Api;

/// <summary>
/// The support API, at the Functions <c>function</c> auth level: the host answers 401 (empty) to a request without a
/// function or host key before the worker sees it. Look a payment up by any key and get its story; list the payments
/// needing attention; act on one (each action recorded with who, when and the note).
/// </summary>
public sealed class SupportApi(SupportService support, AttentionQuery attention)
{
    public sealed record ActionBody(string? Action, string? Note, string? RefundId);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Function("SupportPayment")]
    public Task<IResult> Payment(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/support/payments/{key}")] HttpRequest request,
        string key,
        CancellationToken cancellationToken) =>
        PaymentAsync(key, support, cancellationToken);

    [Function("SupportAttention")]
    public Task<IResult> Attention(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/support/attention")] HttpRequest request,
        CancellationToken cancellationToken) =>
        AttentionAsync(request, attention, cancellationToken);

    [Function("SupportActions")]
    public async Task<IResult> Actions(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/support/payments/{paymentRef}/actions")] HttpRequest request,
        string paymentRef,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        await ActAsync(paymentRef, request, await SupportCaller.IdentifyAsync(context, request), support, cancellationToken);

    internal static async Task<IResult> PaymentAsync(string key, SupportService support, CancellationToken cancellationToken)
    {
        var story = await support.FindStoryAsync(key, cancellationToken);
        return story is null
            ? ProblemResults.Of(404, "payment_not_found", "No payment matches this key (a payment reference, Snipcart session id, invoice number or provider payment id).")
            : Results.Json(story, Json);
    }

    internal static async Task<IResult> AttentionAsync(HttpRequest request, AttentionQuery attention, CancellationToken cancellationToken)
    {
        var reason = request.Query["reason"].FirstOrDefault();
        if (string.IsNullOrEmpty(reason))
        {
            reason = null;
        }
        else if (reason.Length > 64 || !reason.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            return ProblemResults.Of(400, "invalid_reason", "reason is a flag code such as duplicate_payment (lower-case letters, digits and _).");
        }
        DateTimeOffset? since = null;
        var sinceText = request.Query["since"].FirstOrDefault();
        if (!string.IsNullOrEmpty(sinceText))
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                return ProblemResults.Of(400, "invalid_since", "since must be an ISO 8601 date or date and time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z.");
            }
            since = parsed;
        }
        var continuation = request.Query["continuation"].FirstOrDefault();
        try
        {
            var page = await attention.ListAsync(reason, since, string.IsNullOrEmpty(continuation) ? null : continuation, cancellationToken);
            return Results.Json(new { items = page.Items, continuation = page.Continuation }, Json);
        }
        catch (InvalidContinuationException)
        {
            return ProblemResults.Of(400, "invalid_continuation", "continuation must be a token a previous page returned.");
        }
    }

    internal static async Task<IResult> ActAsync(string paymentRef, HttpRequest request, string by, SupportService support, CancellationToken cancellationToken)
    {
        ActionBody? body;
        try
        {
            body = request.ContentLength == 0 ? null : await JsonSerializer.DeserializeAsync<ActionBody>(request.Body, Json, cancellationToken);
        }
        catch (JsonException)
        {
            return ProblemResults.Of(400, "invalid_body", "The body is not valid JSON.");
        }
        if (body?.Action is not { Length: > 0 } action)
        {
            return ProblemResults.Of(400, "invalid_action", $"A JSON body with action ({string.Join(", ", SupportActions.All)}) is required.");
        }
        var record = await support.ActAsync(new SupportActionCommand(paymentRef, action, body.Note, body.RefundId, by), cancellationToken);
        return Results.Json(new { paymentRef, action = record.Action, by = record.By, at = record.At, note = record.Note, result = record.Result, refundId = record.RefundId }, Json);
    }
}
