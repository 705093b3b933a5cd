using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Payments;

/// <summary>
/// The session's side of exactly-once: an attempt takes its Snipcart session for the time it takes to tell Snipcart,
/// so one attempt at a time speaks and "processed" is said at most once per session. A conditional write on the
/// session entity, like the attempt's claim.
/// </summary>
public sealed class SessionClaims(IPaymentStore store, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    public async Task<SessionAnswer> ClaimAsync(PaymentAttempt attempt, SnipcartPaymentState state, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = await store.GetOrAddSessionAsync(attempt.SessionId, cancellationToken);
        var record = session.Value;
        if (record.ProcessedPaymentRef is { } paidBy && paidBy != attempt.PaymentRef)
        {
            return SessionAnswer.PaidByAnother;
        }
        if (record.IsBeingConfirmedByAnother(attempt.PaymentRef, now))
        {
            return SessionAnswer.Busy;
        }
        record.ConfirmingPaymentRef = attempt.PaymentRef;
        record.ConfirmingUntil = now + lease;
        if (state == SnipcartPaymentState.Processed)
        {
            record.ProcessedPaymentRef = attempt.PaymentRef;
        }
        try
        {
            await store.UpdateSessionAsync(record, session.Version, cancellationToken);
            return SessionAnswer.Ours;
        }
        catch (ConcurrencyConflictException)
        {
            return SessionAnswer.Lost;
        }
    }

    /// <summary>Looks at the session without taking it: another attempt paid it, or not.</summary>
    public async Task<SessionAnswer> PeekAsync(PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        var session = await store.GetOrAddSessionAsync(attempt.SessionId, cancellationToken);
        return session.Value.ProcessedPaymentRef is { } paidBy && paidBy != attempt.PaymentRef ? SessionAnswer.PaidByAnother : SessionAnswer.Unpaid;
    }

    /// <summary>Lets the session's other attempts speak again. A crash leaves the lease to expire instead.</summary>
    public async Task ReleaseAsync(PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 3; tries++)
        {
            var session = await store.GetOrAddSessionAsync(attempt.SessionId, cancellationToken);
            if (session.Value.ConfirmingPaymentRef != attempt.PaymentRef)
            {
                return;
            }
            session.Value.ConfirmingPaymentRef = null;
            session.Value.ConfirmingUntil = null;
            try
            {
                await store.UpdateSessionAsync(session.Value, session.Version, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
            }
        }
    }

    /// <summary>Where the attempt that paid the session sent its shopper; a returning shopper waits a little for it.</summary>
    public async Task<string?> PayingAttemptsReturnUrlAsync(string sessionId, bool mayWait, DateTimeOffset waitUntil, CancellationToken cancellationToken)
    {
        var session = await store.GetOrAddSessionAsync(sessionId, cancellationToken);
        if (session.Value.ProcessedPaymentRef is not { } paymentRef)
        {
            return null;
        }
        while (true)
        {
            var paid = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (paid?.Value.ReturnUrl is not null || !mayWait || time.GetUtcNow() > waitUntil)
            {
                return paid?.Value.ReturnUrl;
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
