namespace SnipcartGateway.Domain;

/// <summary>An entity with the version it was read at (an opaque ETag).</summary>
public sealed record Versioned<T>(T Value, string Version);

/// <summary>Someone else changed the record since it was read (or created it first). Re-read and decide again.</summary>
public sealed class ConcurrencyConflictException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record UnsettledEntry(string PaymentRef, DateTimeOffset ListedAt);

/// <summary>A refund the timer follows until its outcome is accounted for.</summary>
public sealed record OpenRefundEntry(string PaymentRef, string RefundId, DateTimeOffset ListedAt);

/// <summary>
/// Per Snipcart payment session: which attempt paid it (at most one may confirm "processed"), and which attempt
/// is telling Snipcart something right now (one at a time, so a declined tab cannot say "failed" just after
/// another tab said "processed").
/// </summary>
public sealed class PaymentSessionRecord
{
    public required string SessionId { get; init; }
    public string? ProcessedPaymentRef { get; set; }
    public string? ConfirmingPaymentRef { get; set; }
    public DateTimeOffset? ConfirmingUntil { get; set; }

    /// <summary>The latest attempt started for this session, and when (see <see cref="PaymentInFlightRule"/>). Null
    /// on sessions recorded before the one-payment-in-flight rule.</summary>
    public string? InFlightPaymentRef { get; set; }
    public DateTimeOffset? InFlightSince { get; set; }

    public bool IsBeingConfirmedByAnother(string paymentRef, DateTimeOffset now) =>
        ConfirmingPaymentRef is not null && ConfirmingPaymentRef != paymentRef && ConfirmingUntil > now;
}

/// <summary>
/// Where payment sessions, attempts and refunds are recorded. Every update is conditional on the version the
/// caller read; a lost race throws <see cref="ConcurrencyConflictException"/>.
/// </summary>
public interface IPaymentStore
{
    /// <summary>Records a new attempt and lists it as unsettled, so reconciliation finds it if nobody finishes it.
    /// Returns its version.</summary>
    Task<string> AddAttemptAsync(PaymentAttempt attempt, CancellationToken cancellationToken = default);

    Task<Versioned<PaymentAttempt>?> GetAttemptAsync(string paymentRef, CancellationToken cancellationToken = default);

    /// <summary>Writes the attempt if it is still at <paramref name="version"/>; returns the new version.
    /// A settled attempt leaves the unsettled list.</summary>
    Task<string> UpdateAttemptAsync(PaymentAttempt attempt, string version, CancellationToken cancellationToken = default);

    /// <summary>Lists an attempt as unsettled again (a payment that came back to life after it was given up).</summary>
    Task MarkUnsettledAsync(string paymentRef, CancellationToken cancellationToken = default);

    /// <summary>Removes an unsettled row whose attempt does not exist (a crash between the two writes of AddAttemptAsync).</summary>
    Task ForgetUnsettledAsync(string paymentRef, CancellationToken cancellationToken = default);

    /// <summary>The attempts that are not settled yet, with when they were listed.</summary>
    IAsyncEnumerable<UnsettledEntry> ListUnsettledAsync(CancellationToken cancellationToken = default);

    Task<Versioned<PaymentSessionRecord>> GetOrAddSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>The session's record, or null when none was written yet (a read that writes nothing).</summary>
    Task<Versioned<PaymentSessionRecord>?> FindSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    Task<string> UpdateSessionAsync(PaymentSessionRecord session, string version, CancellationToken cancellationToken = default);

    /// <summary>Records a new refund and lists it as open (the list first, so a crash can only leave an extra row).</summary>
    Task AddRefundAsync(RefundRecord refund, CancellationToken cancellationToken = default);

    /// <summary>The refunds listed as open (see <see cref="AddRefundAsync"/>).</summary>
    IAsyncEnumerable<OpenRefundEntry> ListOpenRefundsAsync(CancellationToken cancellationToken = default);

    /// <summary>Takes a refund off the open list once its outcome is accounted for on the attempt.</summary>
    Task ForgetOpenRefundAsync(string paymentRef, string refundId, CancellationToken cancellationToken = default);

    Task<Versioned<RefundRecord>?> GetRefundAsync(string paymentRef, string refundId, CancellationToken cancellationToken = default);

    Task<string> UpdateRefundAsync(RefundRecord refund, string version, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RefundRecord>> ListRefundsAsync(string paymentRef, CancellationToken cancellationToken = default);

    /// <summary>Records that the provider's id <paramref name="providerPaymentId"/> is our <paramref name="paymentRef"/>,
    /// for notifications that name only the provider's id. Idempotent; an id already taken by another payment throws
    /// <see cref="ConcurrencyConflictException"/>.</summary>
    Task IndexProviderPaymentIdAsync(string providerId, string providerPaymentId, string paymentRef, CancellationToken cancellationToken = default);

    /// <summary>Our payment reference for a provider's payment id, or null when we never issued it.</summary>
    Task<string?> FindPaymentRefAsync(string providerId, string providerPaymentId, CancellationToken cancellationToken = default);
}
