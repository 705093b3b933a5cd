namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>
/// Capture in the simulated SmartPay. What the docs say: a capture is <c>POST /payment/capture</c> keyed by
/// <c>modificationId</c> (a repeat answers the first result), of an AUTHORIZATION_COMPLETED transaction, for the whole
/// amount or <c>modifiedAmount</c>; the transaction is then CAPTURED. What the docs do not say, and are test switches
/// here: how long an authorisation lasts (<see cref="JpmSmartPaySandboxSettings.AuthorizationLifetime"/>, or the
/// expire-authorization hook), the refusal's code (AUTHORIZATION_EXPIRED, 422) and that the status still reads
/// AUTHORIZATION_COMPLETED after it lapsed (so a void with cancelOrRefund still works).
/// </summary>
public sealed partial class JpmSmartPayState
{
    /// <summary>Why this capture is refused (an error code), or null when it may go on. Called under the gate.</summary>
    private string? CaptureRefusal(JpmTransactionRecord transaction, decimal? amount)
    {
        if (transaction.Status != JpmStatuses.AuthorizationCompleted)
        {
            return "TRANSACTION_NOT_CAPTURABLE";
        }
        var expiresAt = transaction.AuthorizationExpiresAt
            ?? (Settings.AuthorizationLifetime is { } lifetime ? transaction.LastStatusAt + lifetime : null);
        if (expiresAt is { } lapse && lapse <= Now)
        {
            return "AUTHORIZATION_EXPIRED";
        }
        if (amount is { } asked && (asked <= 0 || asked > transaction.Amount || decimal.Round(asked, 2) != asked))
        {
            return "INVALID_AMOUNT";
        }
        return null;
    }

    /// <summary>Test hook: the transaction's authorisation lapses now (its status does not change).</summary>
    public JpmTransactionRecord? ExpireAuthorization(string transactionId)
    {
        lock (_gate)
        {
            if (!_transactions.TryGetValue(transactionId, out var transaction))
            {
                return null;
            }
            return _transactions[transactionId] = transaction with { AuthorizationExpiresAt = Now };
        }
    }

    /// <summary>Captures SmartPay made of the transaction (a replayed modificationId adds none).</summary>
    public int Captures(string transactionId) =>
        Get(transactionId)?.Modifications.Count(m => m.Type == "CAPTURE") ?? 0;
}

/// <summary>The merchant's auto-capture applied to the tester's choice in the widget.</summary>
internal static class JpmSmartPayAutoCapture
{
    /// <summary>With auto-capture off, a payment ends AUTHORIZATION_COMPLETED instead of CAPTURED, and never passes
    /// through CAPTURE_PENDING (only a capture does).</summary>
    public static (string Status, string[] Path, bool Notify) Outcome((string Status, string[] Path, bool Notify) outcome, bool autoCapture)
    {
        if (autoCapture)
        {
            return outcome;
        }
        static string Held(string status) => status == JpmStatuses.Captured ? JpmStatuses.AuthorizationCompleted : status;
        return (Held(outcome.Status), [.. outcome.Path.Where(s => s != JpmStatuses.CapturePending).Select(Held)], outcome.Notify);
    }
}

internal static class JpmSmartPayCaptureHooks
{
    /// <summary>Test hook (not SmartPay's API, no credentials): POST /jpmsmartpay/test/transactions/{id}/expire-authorization.</summary>
    public static RouteGroupBuilder MapJpmSmartPayCaptureHooks(this RouteGroupBuilder api)
    {
        api.MapPost("/test/transactions/{transactionId}/expire-authorization", (string transactionId, JpmSmartPayState state) =>
            state.ExpireAuthorization(transactionId) is { } transaction
                ? Results.Json(JpmSmartPayApiEndpoints.View(transaction))
                : JpmSmartPayApiEndpoints.Error(404, "TRANSACTION_NOT_FOUND", $"No transaction {transactionId}."));
        return api;
    }
}
