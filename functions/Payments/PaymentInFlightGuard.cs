using SnipcartGateway.Domain;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>What the session's payment in flight looks like now: the rule's verdict and the attempt it names.</summary>
public sealed record SessionPaymentView(InFlightDecision Decision, PaymentAttempt? Attempt);

/// <summary>
/// Performs <see cref="PaymentInFlightRule"/> on the stored session: names a new attempt the session's payment in
/// flight with a write conditional on the session's ETag (two tabs pressing Pay together: one wins, the other
/// reads the winner and is refused), or refuses with 409 <c>payment_in_progress</c>.
/// </summary>
public sealed class PaymentInFlightGuard(IPaymentStore store, IProviderRegistry providers, PaymentFinisher finisher, TimeProvider time, ILogger<PaymentInFlightGuard> logger)
{
    private const int MaxConflicts = 10;

    /// <summary>Takes the session for <paramref name="paymentRef"/>, or throws the problem that says why not.</summary>
    public async Task ReserveAsync(string sessionId, string paymentRef, CancellationToken cancellationToken)
    {
        var lookedAgain = false;
        for (var conflicts = 0; ; )
        {
            var read = await store.GetOrAddSessionAsync(sessionId, cancellationToken);
            var view = await DecideAsync(read.Value, cancellationToken);
            if (view.Decision.Verdict == InFlightVerdict.InProgress && view.Attempt is { } earlier && !lookedAgain)
            {
                // What we know of it may be old (declined at the provider and never returned from, or paid): one
                // quiet look through the finisher, which settles it when the provider says it is over, then again.
                lookedAgain = true;
                await finisher.FinishAsync(earlier.PaymentRef, FinishTrigger.Reconciliation, cancellationToken: cancellationToken);
                continue;
            }
            switch (view.Decision.Verdict)
            {
                case InFlightVerdict.AlreadyPaid:
                    throw AlreadyPaid(view.Decision.PaymentRef);
                case InFlightVerdict.InProgress:
                    logger.LogInformation("Session {SessionId} has payment {PaymentRef} in flight: another is not started", sessionId, view.Decision.PaymentRef);
                    throw InProgress(view);
            }
            read.Value.InFlightPaymentRef = paymentRef;
            read.Value.InFlightSince = time.GetUtcNow();
            try
            {
                await store.UpdateSessionAsync(read.Value, read.Version, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (++conflicts < MaxConflicts)
            {
                // Another tab (or a finisher claiming the session) wrote first: decide again on what it holds.
            }
            catch (ConcurrencyConflictException)
            {
                throw new GatewayProblemException(503, "session_busy", "This order is being updated. Please try again.");
            }
        }
    }

    /// <summary>The session's payment in flight, as the rule sees it now. Writes no session record; an attempt in
    /// flight is first looked at through the finisher (as the page's status poll does), so its status, and whether
    /// it can be cancelled, are the provider's word of now.</summary>
    public async Task<SessionPaymentView> ReadAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = (await store.FindSessionAsync(sessionId, cancellationToken))?.Value ?? new PaymentSessionRecord { SessionId = sessionId };
        var view = await DecideAsync(session, cancellationToken);
        if (view.Decision.Verdict != InFlightVerdict.InProgress || view.Attempt is not { } attempt || attempt.HasLiveClaim(time.GetUtcNow()))
        {
            return view;
        }
        await finisher.FinishAsync(attempt.PaymentRef, FinishTrigger.Reconciliation, cancellationToken: cancellationToken);
        return await DecideAsync((await store.FindSessionAsync(sessionId, cancellationToken))?.Value ?? session, cancellationToken);
    }

    private async Task<SessionPaymentView> DecideAsync(PaymentSessionRecord session, CancellationToken cancellationToken)
    {
        var named = session.ProcessedPaymentRef ?? session.InFlightPaymentRef;
        var attempt = named is null ? null : (await store.GetAttemptAsync(named, cancellationToken))?.Value;
        var canCancel = attempt is not null && providers.Find(attempt.ProviderId)?.Capabilities.Cancel == true;
        var inFlight = session.ProcessedPaymentRef is null ? attempt : null;
        return new SessionPaymentView(PaymentInFlightRule.Decide(session, inFlight, canCancel, time.GetUtcNow()), attempt);
    }

    public static GatewayProblemException AlreadyPaid(string? paymentRef)
    {
        var problem = new GatewayProblemException(409, "already_paid", "This order has already been paid.");
        problem.Extensions["paymentRef"] = paymentRef;
        return problem;
    }

    /// <summary>409 <c>payment_in_progress</c> with what the page needs to show it: the attempt, its status, the
    /// provider's page to continue it (redirect providers), and whether it can be cancelled here.</summary>
    public static GatewayProblemException InProgress(SessionPaymentView view)
    {
        var attempt = view.Attempt;
        var problem = new GatewayProblemException(409, "payment_in_progress", "A payment for this order is already in progress.",
            view.Decision.CanCancel
                ? "Finish it, or cancel it and choose again."
                : "Finish it at the payment provider, or wait until it is settled.");
        problem.Extensions["paymentRef"] = view.Decision.PaymentRef;
        // A tab that is creating it right now has written no attempt yet: it is starting, as "pending" says.
        problem.Extensions["status"] = StatusWord(attempt?.Status ?? PaymentStatus.Pending);
        problem.Extensions["provider"] = attempt?.ProviderId;
        problem.Extensions["continueUrl"] = attempt?.Status is PaymentStatus.AwaitingShopper or PaymentStatus.Pending ? attempt.ContinueUrl : null;
        problem.Extensions["canCancel"] = view.Decision.CanCancel;
        return problem;
    }

    /// <summary>The status words of GET /api/checkout/payments/{paymentRef}.</summary>
    public static string StatusWord(PaymentStatus status) => status.ToString().ToLowerInvariant();
}
