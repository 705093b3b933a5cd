using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Tests.Payments;

/// <summary>The real table store with hooks for races: one attempt write that loses its ETag race (without writing),
/// another process writing a refund first, something written after a listing, a refund row not yet readable.</summary>
public sealed class RacingStore(IPaymentStore inner) : IPaymentStore
{
    private Func<PaymentAttempt, bool>? _conflictOnce;

    /// <summary>The next attempt update matching <paramref name="when"/> throws a conflict instead of writing.</summary>
    public void ConflictOnce(Func<PaymentAttempt, bool> when) => _conflictOnce = when;

    public int Conflicts { get; private set; }

    public Task<string> UpdateAttemptAsync(PaymentAttempt attempt, string version, CancellationToken cancellationToken = default)
    {
        var hook = _conflictOnce;
        if (hook is not null && hook(attempt) && Interlocked.CompareExchange(ref _conflictOnce, null, hook) == hook)
        {
            Conflicts++;
            throw new ConcurrencyConflictException("Injected: another process wrote first.");
        }
        return inner.UpdateAttemptAsync(attempt, version, cancellationToken);
    }

    public Task<string> AddAttemptAsync(PaymentAttempt attempt, CancellationToken cancellationToken = default) => inner.AddAttemptAsync(attempt, cancellationToken);
    public Task<Versioned<PaymentAttempt>?> GetAttemptAsync(string paymentRef, CancellationToken cancellationToken = default) => inner.GetAttemptAsync(paymentRef, cancellationToken);
    public Task MarkUnsettledAsync(string paymentRef, CancellationToken cancellationToken = default) => inner.MarkUnsettledAsync(paymentRef, cancellationToken);
    public Task ForgetUnsettledAsync(string paymentRef, CancellationToken cancellationToken = default) => inner.ForgetUnsettledAsync(paymentRef, cancellationToken);
    public IAsyncEnumerable<UnsettledEntry> ListUnsettledAsync(CancellationToken cancellationToken = default) => inner.ListUnsettledAsync(cancellationToken);
    public Task<Versioned<PaymentSessionRecord>> GetOrAddSessionAsync(string sessionId, CancellationToken cancellationToken = default) => inner.GetOrAddSessionAsync(sessionId, cancellationToken);
    public Task<Versioned<PaymentSessionRecord>?> FindSessionAsync(string sessionId, CancellationToken cancellationToken = default) => inner.FindSessionAsync(sessionId, cancellationToken);
    /// <summary>The next <paramref name="count"/> session updates throw a conflict instead of writing (0 disarms).</summary>
    public void ConflictOnSessionUpdates(int count) => Interlocked.Exchange(ref _sessionConflictsLeft, count);

    private int _sessionConflictsLeft;
    private int _sessionConflicts;

    public int SessionConflicts => Volatile.Read(ref _sessionConflicts);

    public Task<string> UpdateSessionAsync(PaymentSessionRecord session, string version, CancellationToken cancellationToken = default)
    {
        var left = Volatile.Read(ref _sessionConflictsLeft);
        while (left > 0)
        {
            var seen = Interlocked.CompareExchange(ref _sessionConflictsLeft, left - 1, left);
            if (seen == left)
            {
                Interlocked.Increment(ref _sessionConflicts);
                throw new ConcurrencyConflictException("Injected: another process wrote the session first.");
            }
            left = seen;
        }
        return inner.UpdateSessionAsync(session, version, cancellationToken);
    }
    public Task AddRefundAsync(RefundRecord refund, CancellationToken cancellationToken = default) => inner.AddRefundAsync(refund, cancellationToken);
    public IAsyncEnumerable<OpenRefundEntry> ListOpenRefundsAsync(CancellationToken cancellationToken = default) => inner.ListOpenRefundsAsync(cancellationToken);
    public Task ForgetOpenRefundAsync(string paymentRef, string refundId, CancellationToken cancellationToken = default) => inner.ForgetOpenRefundAsync(paymentRef, refundId, cancellationToken);
    /// <summary>Runs before each refund read, given the read's token: a read that hangs or fails.</summary>
    public Func<CancellationToken, Task>? BeforeGetRefund { get; set; }

    public async Task<Versioned<RefundRecord>?> GetRefundAsync(string paymentRef, string refundId, CancellationToken cancellationToken = default)
    {
        if (BeforeGetRefund is { } before)
        {
            await before(cancellationToken);
        }
        return MissingRefunds.Contains(refundId) ? null : await inner.GetRefundAsync(paymentRef, refundId, cancellationToken);
    }

    /// <summary>Runs once, just before the next refund update is written, given the undecorated store: another
    /// process (a second click, the timer) writing the same refund first, so this update loses its ETag race for real.</summary>
    public Func<IPaymentStore, Task>? BeforeRefundUpdate { get; set; }

    /// <summary>Runs once, just after the next refund update is written, given the undecorated store.</summary>
    public Func<IPaymentStore, Task>? AfterRefundUpdate { get; set; }

    public async Task<string> UpdateRefundAsync(RefundRecord refund, string version, CancellationToken cancellationToken = default)
    {
        if (BeforeRefundUpdate is { } before)
        {
            BeforeRefundUpdate = null;
            await before(inner);
        }
        var written = await inner.UpdateRefundAsync(refund, version, cancellationToken);
        if (AfterRefundUpdate is { } after)
        {
            AfterRefundUpdate = null;
            await after(inner);
        }
        return written;
    }

    /// <summary>Runs after each listing of a payment's refunds (something else writing in between).</summary>
    public Func<Task>? AfterListRefunds { get; set; }

    public async Task<IReadOnlyList<RefundRecord>> ListRefundsAsync(string paymentRef, CancellationToken cancellationToken = default)
    {
        var refunds = await inner.ListRefundsAsync(paymentRef, cancellationToken);
        if (AfterListRefunds is { } hook)
        {
            await hook();
        }
        return refunds;
    }

    /// <summary>Refunds <see cref="GetRefundAsync"/> answers as missing: an open-list row ahead of its refund record.</summary>
    public HashSet<string> MissingRefunds { get; } = [];

    public Task IndexProviderPaymentIdAsync(string providerId, string providerPaymentId, string paymentRef, CancellationToken cancellationToken = default) => inner.IndexProviderPaymentIdAsync(providerId, providerPaymentId, paymentRef, cancellationToken);
    public Task<string?> FindPaymentRefAsync(string providerId, string providerPaymentId, CancellationToken cancellationToken = default) => inner.FindPaymentRefAsync(providerId, providerPaymentId, cancellationToken);
}

/// <summary>Sandbox Pay's real adapter with hooks before each call: a slow, hung, broken or refusing provider.</summary>
public sealed class HookedProvider(IPaymentProvider inner) : IPaymentProvider
{
    public Func<ProviderPaymentRequest, Task>? BeforeCreate { get; set; }
    public Func<ProviderPaymentLookup, CancellationToken, Task>? BeforeGet { get; set; }
    public Func<ProviderRefundRequest, Task>? BeforeRefund { get; set; }
    /// <summary>Rewrites what the provider answered to a lookup (a provider that leaves fields out, say).</summary>
    public Func<ProviderPayment, ProviderPayment>? AfterGet { get; set; }

    public Func<ProviderCancelRequest, Task>? BeforeCancel { get; set; }
    public Func<ProviderCaptureRequest, Task>? BeforeCapture { get; set; }
    /// <summary>The provider's capabilities, in place of Sandbox Pay's.</summary>
    public ProviderCapabilities? CapabilitiesOverride { get; set; }
    /// <summary>Answers refunds instead of the provider (a refusal, no answer).</summary>
    public Func<ProviderRefundRequest, Task<ProviderRefund>>? RefundOverride { get; set; }
    /// <summary>Answers refunds instead of the provider, with the call's cancellation (a provider that hangs until cut).</summary>
    public Func<ProviderRefundRequest, CancellationToken, Task<ProviderRefund>>? RefundAnswer { get; set; }
    /// <summary>Rewrites what the provider answered to a create (an id it reuses, an expiry in the past).</summary>
    public Func<ProviderPaymentCreated, ProviderPaymentCreated>? AfterCreate { get; set; }
    /// <summary>Rewrites what the provider made of a notification (a provider that verified it for another mode).</summary>
    public Func<ProviderNotification, ProviderNotification>? AfterParse { get; set; }
    /// <summary>The provider's rhythm, in place of Sandbox Pay's (none).</summary>
    public ProviderRhythm? RhythmOverride { get; set; }

    public string Id => inner.Id;
    public string DisplayName => inner.DisplayName;
    public ProviderCapabilities Capabilities => CapabilitiesOverride ?? inner.Capabilities;
    public ProviderRhythm Rhythm => RhythmOverride ?? inner.Rhythm;
    public bool Supports(PaymentMode mode, string currency, string? billingCountry) => inner.Supports(mode, currency, billingCountry);

    public async Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default)
    {
        if (BeforeCreate is { } hook)
        {
            await hook(request);
        }
        var created = await inner.CreatePaymentAsync(request, cancellationToken);
        return AfterCreate is { } rewrite ? rewrite(created) : created;
    }

    public async Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default)
    {
        if (BeforeGet is { } hook)
        {
            await hook(lookup, cancellationToken);
        }
        var seen = await inner.GetPaymentAsync(lookup, cancellationToken);
        return AfterGet is { } rewrite ? rewrite(seen) : seen;
    }

    public async Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default)
    {
        if (BeforeRefund is { } hook)
        {
            await hook(request);
        }
        if (RefundAnswer is { } cancellable)
        {
            return await cancellable(request, cancellationToken);
        }
        return RefundOverride is { } answer ? await answer(request) : await inner.RefundAsync(request, cancellationToken);
    }

    public async Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default)
    {
        var parsed = await inner.ParseNotificationAsync(notification, cancellationToken);
        return AfterParse is { } rewrite ? rewrite(parsed) : parsed;
    }

    public Task<ProviderRefund> GetRefundAsync(ProviderRefundLookup lookup, CancellationToken cancellationToken = default) =>
        inner.GetRefundAsync(lookup, cancellationToken);

    public async Task<ProviderCancellation> CancelPaymentAsync(ProviderCancelRequest request, CancellationToken cancellationToken = default)
    {
        if (BeforeCancel is { } hook)
        {
            await hook(request);
        }
        return await inner.CancelPaymentAsync(request, cancellationToken);
    }

    public async Task<ProviderCapture> CaptureAsync(ProviderCaptureRequest request, CancellationToken cancellationToken = default)
    {
        if (BeforeCapture is { } hook)
        {
            await hook(request);
        }
        return await inner.CaptureAsync(request, cancellationToken);
    }
}

/// <summary>The real Snipcart client with a hook before each create-payment call (a slow Snipcart).</summary>
public sealed class HookedSnipcart(ISnipcartClient inner, Func<SnipcartPaymentRequest, Task> beforeCreatePayment) : ISnipcartClient
{
    public Task<bool> ValidatePublicTokenAsync(string publicToken, CancellationToken cancellationToken = default) => inner.ValidatePublicTokenAsync(publicToken, cancellationToken);
    /// <summary>Runs before each read of a payment session (a slow or failing read-back).</summary>
    public Func<Task>? BeforeGetSession { get; set; }

    public async Task<SnipcartPaymentSession?> GetPaymentSessionAsync(string publicToken, CancellationToken cancellationToken = default)
    {
        if (BeforeGetSession is { } hook)
        {
            await hook();
        }
        return await inner.GetPaymentSessionAsync(publicToken, cancellationToken);
    }

    public async Task<SnipcartPaymentResponse> CreatePaymentAsync(PaymentMode mode, SnipcartPaymentRequest request, CancellationToken cancellationToken = default)
    {
        await beforeCreatePayment(request);
        return await inner.CreatePaymentAsync(mode, request, cancellationToken);
    }
}

/// <summary>Keeps every log line at Warning and above, for tests that check what the merchant is told.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public IEnumerable<string> Errors => Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Entries.Enqueue((logLevel, category, formatter(state, exception)));
            }
        }
    }
}
