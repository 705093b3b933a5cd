using System.Text.Json;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Storage.Support;

namespace SnipcartGateway.Support;

/// <summary>
/// The whole story of one Snipcart payment session as support sees it: the session, every attempt (provider, mode,
/// amounts, states, what Snipcart was told and when, provider ids and support fields, the provider's last answer),
/// refunds, flags, reasons and support actions. Built from the records, never with the refund key, the public token
/// or a secret: <see cref="SupportFields"/> decides which provider fields may be shown.
/// </summary>
public static class PaymentStory
{
    public static object Build(string matchedBy, IEnumerable<SessionStory> sessions) => new
    {
        matchedBy,
        sessions = sessions.Select(s => new
        {
            id = s.SessionId,
            processedPaymentRef = s.Session?.ProcessedPaymentRef,
            confirmingPaymentRef = s.Session?.ConfirmingPaymentRef,
            attempts = s.Attempts.OrderBy(a => a.Attempt.CreatedAt).Select(Attempt),
        }),
    };

    private static object Attempt(AttemptStory story)
    {
        var a = story.Attempt;
        return new
        {
            paymentRef = a.PaymentRef,
            provider = a.ProviderId,
            mode = a.Mode.ToString().ToLowerInvariant(),
            amount = a.Amount.Amount,
            currency = a.Amount.Currency,
            refundedAmount = a.RefundedAmount,
            refundableAmount = a.RefundableAmount.Amount,
            status = a.Status.ToString(),
            providerStatus = a.ProviderStatus,
            providerPaymentId = a.ProviderPaymentId,
            transactionId = a.TransactionId,
            needsAttention = a.NeedsAttention,
            reason = a.FailureCode,
            failureMessage = a.FailureMessage,
            settled = a.IsSettled,
            abandoned = a.Abandoned,
            createdAt = a.CreatedAt,
            updatedAt = a.UpdatedAt,
            paidAt = a.PaidAt,
            expiresAt = a.ExpiresAt,
            snipcart = new
            {
                told = a.ConfirmedState?.ToString(),
                toldAt = a.ConfirmedAt,
                returnUrl = a.ReturnUrl,
                beingTold = a.ClaimedState?.ToString(),
                beingToldUntil = a.ClaimExpiresAt,
                answerLost = a.UncertainState?.ToString(),
                refusals = a.ConfirmationFailures,
                lastError = a.LastConfirmationError,
            },
            reconciliation = new { checks = a.ReconcileChecks, pendingChecks = a.PendingChecks, nextCheckAt = a.NextCheckAt },
            providerData = SupportFields.Of(a.ProviderData),
            returnParameterNames = a.ReturnParameters.Keys.Order(StringComparer.Ordinal),
            invoice = Invoice(a.InvoiceJson),
            refunds = story.Refunds.OrderBy(r => r.RequestedAt).Select(r => new
            {
                refundId = r.RefundId,
                amount = r.Amount.Amount,
                currency = r.Amount.Currency,
                state = r.State.ToString(),
                providerRefundId = r.ProviderRefundId,
                failureMessage = r.FailureMessage,
                requestedAt = r.RequestedAt,
                updatedAt = r.UpdatedAt,
                followUpChecks = r.FollowUpChecks,
                nextCheckAt = r.NextCheckAt,
                needsAttention = r.NeedsAttention,
                resolution = r.Resolution?.ToString().ToLowerInvariant(),
                resolvedBy = r.ResolvedBy,
                resolvedAt = r.ResolvedAt,
                resolutionNote = r.ResolutionNote,
            }),
            actions = story.Actions.OrderBy(x => x.At).Select(x => new { action = x.Action, by = x.By, at = x.At, note = x.Note, result = x.Result, refundId = x.RefundId }),
        };
    }

    private static object? Invoice(string json)
    {
        try
        {
            return InvoiceSnapshot.Deserialize(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record AttemptStory(PaymentAttempt Attempt, IReadOnlyList<RefundRecord> Refunds, IReadOnlyList<SupportActionRecord> Actions);

public sealed record SessionStory(string SessionId, PaymentSessionRecord? Session, IReadOnlyList<AttemptStory> Attempts);

/// <summary>Which of a provider's fields support may see: ids, statuses, dates and answers, never a token, key,
/// secret or password (a checkout token is shown to the shopper's browser, but it still opens the payment).</summary>
public static class SupportFields
{
    private static readonly string[] Hidden = ["token", "secret", "password", "key", "signature", "auth"];

    public static bool IsShown(string name) => !Hidden.Any(h => name.Contains(h, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, string> data) =>
        data.Where(p => IsShown(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
