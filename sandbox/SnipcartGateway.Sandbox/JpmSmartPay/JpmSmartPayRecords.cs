namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>SmartPay's payment statuses as its API spells them (AUTORIZATION_INITIALIZED is the docs' spelling).</summary>
public static class JpmStatuses
{
    public const string Created = "CREATED";
    public const string AuthorizationInitialized = "AUTORIZATION_INITIALIZED";
    public const string AuthorizationPending = "AUTHORIZATION_PENDING";
    public const string AuthorizationCompleted = "AUTHORIZATION_COMPLETED";
    public const string CapturePending = "CAPTURE_PENDING";
    public const string Captured = "CAPTURED";
    public const string Settled = "SETTLED";
    public const string AuthorizationFailed = "AUTHORIZATION_FAILED";
    /// <summary>Not on the readable part of the status model; SmartPay's naming. Only the test hook sets it.</summary>
    public const string CaptureFailed = "CAPTURE_FAILED";
    public const string Cancelled = "CANCELLED";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Created, AuthorizationInitialized, AuthorizationPending, AuthorizationCompleted, CapturePending, Captured, Settled, AuthorizationFailed, CaptureFailed, Cancelled,
    };

    public static bool IsPaid(string status) => status is Captured or Settled or AuthorizationCompleted;

    /// <summary>The widget may still take a payment.</summary>
    public static bool IsOpen(string status) => status is Created or AuthorizationInitialized;
}

public sealed record JpmTransactionRecord
{
    public required string TransactionId { get; init; }
    public required string CheckoutToken { get; init; }
    public required string PartnerReference { get; init; }
    public required string Status { get; init; }
    /// <summary>The statuses the next status reads move through, one per read (the tester's path).</summary>
    public IReadOnlyList<string> Path { get; init; } = [];
    public required decimal Amount { get; init; }
    public required string CurrencyCode { get; init; }
    public string? Description { get; init; }
    public string? PaymentMethod { get; init; }
    public required string RequestBody { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastStatusAt { get; init; }
    public required DateTimeOffset TokenExpiresAt { get; init; }
    public string ReconciliationReferenceId { get; init; } = "";
    public IReadOnlyList<JpmModificationRecord> Modifications { get; init; } = [];
    /// <summary>Set by the expire-authorization test hook: the authorisation lapses now (see JpmSmartPayState.Capture).</summary>
    public DateTimeOffset? AuthorizationExpiresAt { get; init; }

    public decimal Refunded => Modifications.Where(m => m.Type == "REFUND" && m.Status == "SUCCESS").Sum(m => m.Amount);
    /// <summary>Refunded, plus refunds still pending (held until they settle).</summary>
    public decimal RefundHeld => Modifications.Where(m => m.Type == "REFUND" && m.Status is "SUCCESS" or "PENDING").Sum(m => m.Amount);
}

public sealed record JpmModificationRecord(string ModificationId, string Type, string Status, decimal Amount, string CurrencyCode, DateTimeOffset At);

/// <summary>A request SmartPay's API received: what the docs require of every call, without the secret itself.</summary>
public sealed record JpmCallRecord(DateTimeOffset At, string Method, string Path, int StatusCode, string? AuthScheme, string? Origin, string? AcceptLanguage, string? UserAgent, string? ContentType, string? Body);

public sealed record JpmNotificationRecord(DateTimeOffset At, string Url, string Body, int? StatusCode, string? Error);
