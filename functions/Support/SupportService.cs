using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Storage.Support;

namespace SnipcartGateway.Support;

/// <summary>The support actions, as the API names them.</summary>
public static class SupportActions
{
    public const string Handled = "handled";
    public const string ManualRefundDone = "manual_refund_done";
    public const string ManualRefundDropped = "manual_refund_dropped";
    public const string Recheck = "recheck";

    public static readonly IReadOnlyList<string> All = [Handled, ManualRefundDone, ManualRefundDropped, Recheck];
}

public sealed record SupportActionCommand(string PaymentRef, string Action, string? Note, string? RefundId, string By);

/// <summary>
/// Support's view of payments: finds them by any key the merchant has (<see cref="FindStoryAsync"/>), and acts on one
/// (<see cref="ActAsync"/>), each action recorded with who, when and the note.
/// </summary>
public sealed class SupportService(
    IPaymentStore store,
    IProviderRegistry providers,
    PaymentLookupIndex index,
    SessionReader sessions,
    SupportActionLog actions,
    ManualRefundService manualRefunds,
    AttentionFlagger flagger,
    PaymentFinisher finisher,
    TimeProvider time,
    ILogger<SupportService> logger)
{
    public const int MaxKeyLength = 200;
    public const int MaxNoteLength = 1000;

    /// <summary>The story of the sessions <paramref name="key"/> names (payment ref, session id, invoice number, cart
    /// id or a provider's payment id), or null when it names none.</summary>
    public async Task<object?> FindStoryAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
        {
            throw new GatewayProblemException(400, "invalid_key", $"The key must be 1 to {MaxKeyLength} printable characters.");
        }
        var (matchedBy, refs) = await FindAsync(key, cancellationToken);
        if (refs.Count == 0)
        {
            return null;
        }
        var found = new List<PaymentAttempt>();
        foreach (var paymentRef in refs.Distinct(StringComparer.Ordinal))
        {
            if ((await store.GetAttemptAsync(paymentRef, cancellationToken))?.Value is { } attempt)
            {
                found.Add(attempt);
                // Migrate on read: an attempt older than the index is findable by its other keys from now on.
                await index.IndexAsync(attempt, cancellationToken);
            }
        }
        var stories = new List<SessionStory>();
        foreach (var sessionId in found.Select(a => a.SessionId).Distinct(StringComparer.Ordinal))
        {
            stories.Add(await SessionStoryAsync(sessionId, found.Where(a => a.SessionId == sessionId), cancellationToken));
        }
        return stories.Count == 0 ? null : PaymentStory.Build(matchedBy, stories);
    }

    private async Task<(string MatchedBy, IReadOnlyList<string> Refs)> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (PaymentReferences.IsWellFormedPaymentRef(key) && await store.GetAttemptAsync(key, cancellationToken) is not null)
        {
            return ("paymentRef", [key]);
        }
        foreach (var (kind, name) in new[] { (PaymentLookupIndex.Session, "sessionId"), (PaymentLookupIndex.Invoice, "invoiceNumber"), (PaymentLookupIndex.Cart, "cartId") })
        {
            if (await index.FindAsync(kind, key, cancellationToken) is { Count: > 0 } refs)
            {
                return (name, refs);
            }
        }
        var byProvider = new List<string>();
        foreach (var provider in providers.All)
        {
            if (await store.FindPaymentRefAsync(provider.Id, key, cancellationToken) is { } paymentRef)
            {
                byProvider.Add(paymentRef);
            }
        }
        if (byProvider.Count > 0)
        {
            return ("providerPaymentId", byProvider);
        }
        // Attempts recorded before the index: a bounded scan, which indexes what it finds.
        var scanned = await index.ScanAsync(key, cancellationToken);
        if (scanned is null)
        {
            logger.LogWarning("Support lookup scanned {Max} payments without finding the key; older payments were not read", PaymentLookupIndex.MaxScannedAttempts);
        }
        return ("scan", scanned ?? []);
    }

    private async Task<SessionStory> SessionStoryAsync(string sessionId, IEnumerable<PaymentAttempt> known, CancellationToken cancellationToken)
    {
        var attempts = known.ToDictionary(a => a.PaymentRef, StringComparer.Ordinal);
        foreach (var paymentRef in await index.FindAsync(PaymentLookupIndex.Session, sessionId, cancellationToken))
        {
            if (!attempts.ContainsKey(paymentRef) && (await store.GetAttemptAsync(paymentRef, cancellationToken))?.Value is { } sibling)
            {
                attempts[paymentRef] = sibling;
            }
        }
        var stories = new List<AttemptStory>();
        foreach (var attempt in attempts.Values)
        {
            stories.Add(new AttemptStory(attempt, await store.ListRefundsAsync(attempt.PaymentRef, cancellationToken), await actions.ListAsync(attempt.PaymentRef, cancellationToken)));
        }
        return new SessionStory(sessionId, await sessions.FindAsync(sessionId, cancellationToken), stories);
    }

    /// <summary>Carries out one support action and records it. Throws <see cref="GatewayProblemException"/> for a
    /// refusal (nothing changed, nothing recorded).</summary>
    public async Task<SupportActionRecord> ActAsync(SupportActionCommand command, CancellationToken cancellationToken)
    {
        if (!SupportActions.All.Contains(command.Action))
        {
            throw new GatewayProblemException(400, "invalid_action", $"action must be one of: {string.Join(", ", SupportActions.All)}.");
        }
        if (command.Note is { Length: > MaxNoteLength })
        {
            throw new GatewayProblemException(400, "invalid_note", $"note is at most {MaxNoteLength} characters.");
        }
        if (!PaymentReferences.IsWellFormedPaymentRef(command.PaymentRef) || await store.GetAttemptAsync(command.PaymentRef, cancellationToken) is null)
        {
            throw new GatewayProblemException(404, "payment_not_found", "There is no such payment.");
        }
        var (result, refundId) = command.Action switch
        {
            SupportActions.Handled => (await MarkHandledAsync(command.PaymentRef, cancellationToken), null),
            SupportActions.Recheck => ("recheck: " + (await finisher.FinishAsync(command.PaymentRef, FinishTrigger.Reconciliation, cancellationToken: cancellationToken)).Outcome.ToString().ToLowerInvariant(), null),
            _ => await ResolveManualRefundAsync(command, cancellationToken),
        };
        var record = new SupportActionRecord(command.PaymentRef, command.Action, command.By, time.GetUtcNow(), command.Note, result, refundId);
        await actions.AddAsync(record, CancellationToken.None);
        logger.LogInformation("Support action {Action} on {PaymentRef} by {By}: {Result}", command.Action, command.PaymentRef, command.By, result);
        return record;
    }

    private async Task<string> MarkHandledAsync(string paymentRef, CancellationToken cancellationToken)
    {
        string? reason = null;
        var wasFlagged = false;
        await flagger.ChangeAttemptAsync(paymentRef, attempt =>
        {
            wasFlagged = attempt.NeedsAttention;
            reason = attempt.FailureCode;
            attempt.NeedsAttention = false;
            return wasFlagged;
        }, cancellationToken);
        if (!wasFlagged)
        {
            // Two clicks, or two people: the flag is lowered once, and the second is told.
            throw new GatewayProblemException(409, "not_flagged", "This payment does not need attention (any more).");
        }
        return $"flag lowered ({reason ?? "no reason recorded"})";
    }

    private async Task<(string Result, string? RefundId)> ResolveManualRefundAsync(SupportActionCommand command, CancellationToken cancellationToken)
    {
        var outcome = command.Action == SupportActions.ManualRefundDone ? ManualRefundOutcome.Done : ManualRefundOutcome.Dropped;
        var refund = await manualRefunds.ResolveAsync(new ManualRefundResolution(command.PaymentRef, command.RefundId, outcome, command.By, command.Note), cancellationToken);
        return ($"refund of {refund.Amount} marked {outcome.ToString().ToLowerInvariant()}", refund.RefundId);
    }
}
