namespace SnipcartGateway.Domain;

/// <summary>
/// One try at paying a Snipcart payment session through one provider. The attempt is the unit of
/// exactly-once: every change is written with the ETag it was read with, and Snipcart is told of its outcome
/// by whoever wins the claim (<see cref="Claim"/>), once per Snipcart state.
/// </summary>
public sealed class PaymentAttempt
{
    public required string PaymentRef { get; init; }
    public required string SessionId { get; init; }
    public required string ProviderId { get; init; }
    public required PaymentMode Mode { get; init; }
    /// <summary>From Snipcart's session, fetched on the server when the attempt started.</summary>
    public required Money Amount { get; init; }
    /// <summary>The invoice as it was when the shopper started paying (Snipcart's cart can change later).</summary>
    public required string InvoiceJson { get; init; }
    public string? BackUrl { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The secret in the refund URL given to Snipcart (links.refunds). The shopper knows the payment
    /// reference, never this key, so only Snipcart can ask for a refund.</summary>
    public required string RefundKey { get; init; }

    /// <summary>Snipcart's public token the payment was started with: the only key to read the session's state
    /// back (see <see cref="UncertainState"/>). Short-lived and never logged; it may have expired when read.</summary>
    public string? PublicToken { get; init; }

    public string? ProviderPaymentId { get; set; }

    /// <summary>The provider's page where the shopper pays this attempt (redirect providers), to continue it from a
    /// second tab or after a reload. Null for widget providers and attempts recorded before it was kept.</summary>
    public string? ContinueUrl { get; set; }
    public PaymentStatus Status { get; set; } = PaymentStatus.Pending;
    public string? ProviderStatus { get; set; }
    public string? TransactionId { get; set; }
    public string? FailureCode { get; set; }
    public string? FailureMessage { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The last state Snipcart accepted for this attempt.</summary>
    public SnipcartPaymentState? ConfirmedState { get; set; }
    public DateTimeOffset? ConfirmedAt { get; set; }
    /// <summary>Where Snipcart said to send the shopper.</summary>
    public string? ReturnUrl { get; set; }

    /// <summary>A state someone is telling Snipcart right now, until <see cref="ClaimExpiresAt"/>.</summary>
    public SnipcartPaymentState? ClaimedState { get; set; }
    public string? ClaimId { get; set; }
    public DateTimeOffset? ClaimExpiresAt { get; set; }
    public int ConfirmationFailures { get; set; }
    public string? LastConfirmationError { get; set; }

    /// <summary>A state sent to Snipcart whose answer never came (a timeout, a reset, a 5xx, a crash while it was
    /// claimed): Snipcart may have applied it. Before sending it again the session's state is read back.</summary>
    public SnipcartPaymentState? UncertainState { get; set; }

    /// <summary>When reconciliation should look at this attempt next (null: <see cref="CreatedAt"/> plus
    /// ReconcileAfter). Pushed back after each check that leaves it open; the place a provider that knows when its
    /// payment expires would set it.</summary>
    public DateTimeOffset? NextCheckAt { get; set; }

    /// <summary>How many reconciliation checks left this attempt open.</summary>
    public int ReconcileChecks { get; set; }

    /// <summary>When the provider's checkout stops being payable: after it, and one last check, an unpaid attempt is
    /// closed (null: <see cref="CreatedAt"/> plus Payments__AbandonAfter, for attempts older than this field).</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>How many of the provider's own pending checks (its rhythm) were used.</summary>
    public int PendingChecks { get; set; }

    /// <summary>The provider's own fields (ids, its last status answer), see Providers.ProviderData. Handed back to
    /// every later call to the provider.</summary>
    public Dictionary<string, string> ProviderData { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The query parameters of the shopper's returns that the provider accepted as describing this payment
    /// (and whose answer matched it), the latest value of each. They arrive once; kept so a later lookup (another
    /// instance, after a restart, reconciliation) has them. Bounded (see Payments.ReturnParameterSet).</summary>
    public Dictionary<string, string> ReturnParameters { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Money may have moved without a matching order: another attempt already paid the session, or the
    /// provider's amount, currency or reference did not match ours. The merchant must look (and refund).</summary>
    public bool NeedsAttention { get; set; }

    /// <summary>Amount refunded or being refunded (reserved before the provider is called, so two refunds
    /// racing can never exceed what was paid).</summary>
    public decimal RefundedAmount { get; set; }

    /// <summary>The latest refund asked for: Snipcart sends no idempotency key, so the same amount again soon
    /// after is taken as a retry of it.</summary>
    public string? LastRefundId { get; set; }
    public decimal? LastRefundAmount { get; set; }
    public DateTimeOffset? LastRefundAt { get; set; }

    /// <summary>Refunds whose amount was reserved on this attempt (the write that reserved it added the id). A
    /// refund record not listed here lost the reservation race and never counted: it is never taken for the
    /// refund a retry repeats.</summary>
    public HashSet<string> ReservedRefundIds { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Refunds whose reservation was given back (the provider refused them). Checked and written in the
    /// same conditional write as <see cref="RefundedAmount"/>, so a refusal is released once however many
    /// requests saw it.</summary>
    public HashSet<string> ReleasedRefundIds { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Gives back a refused refund's reservation; false when it was already given back.</summary>
    public bool ReleaseRefund(string refundId, decimal amount, DateTimeOffset now)
    {
        if (!ReleasedRefundIds.Add(refundId))
        {
            return false;
        }
        RefundedAmount -= amount;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Nothing is left to do: Snipcart has a final state, or there is nothing to tell it.</summary>
    public bool IsSettled => (ConfirmedState is { } s && s.IsFinal() || Abandoned) && !IsGivingBack;

    /// <summary>Money this attempt took that the order does not keep (a duplicate payment, a payment that failed
    /// verification) is being given back under <see cref="GiveBackRefundId"/>: the attempt stays on the unsettled list
    /// until the provider gives a final answer.</summary>
    public bool IsGivingBack => GiveBackState is Lifecycle.GiveBackState.Requested or Lifecycle.GiveBackState.Pending;

    /// <summary>The refund (its id is the provider's idempotency key) that gives this attempt's money back.</summary>
    public string? GiveBackRefundId { get; set; }
    /// <summary>Why the money is given back: <c>duplicate_payment</c> or <c>payment_mismatch</c>.</summary>
    public string? GiveBackReason { get; set; }
    public Lifecycle.GiveBackState? GiveBackState { get; set; }

    /// <summary>Given up before anything was sent to Snipcart (the provider never created the payment, or the
    /// shopper never paid and the provider says it is over).</summary>
    public bool Abandoned { get; set; }

    public bool IsProcessed => ConfirmedState == SnipcartPaymentState.Processed;

    public Money RefundableAmount => new(IsProcessed ? Amount.Amount - RefundedAmount : 0m, Amount.Currency);

    public bool HasLiveClaim(DateTimeOffset now) => ClaimId is not null && ClaimExpiresAt > now;

    public void Claim(SnipcartPaymentState state, string claimId, DateTimeOffset now, TimeSpan lease)
    {
        if (ClaimId is not null && ClaimedState is { } previous)
        {
            // Taking over a claim whose lease ran out: its holder died, maybe after Snipcart applied its state.
            UncertainState = previous;
        }
        ClaimedState = state;
        ClaimId = claimId;
        ClaimExpiresAt = now + lease;
        UpdatedAt = now;
    }

    public void ConfirmClaim(string? returnUrl, DateTimeOffset now)
    {
        ConfirmedState = ClaimedState ?? throw new InvalidOperationException("No claim to confirm.");
        ConfirmedAt = now;
        if (!string.IsNullOrEmpty(returnUrl))
        {
            ReturnUrl = returnUrl;
        }
        ReleaseClaim(now);
        ConfirmationFailures = 0;
        LastConfirmationError = null;
        UncertainState = null;
    }

    /// <param name="mayHaveApplied">No answer, or one that does not say the state was refused: Snipcart may
    /// have applied it (see <see cref="UncertainState"/>).</param>
    public void FailClaim(string error, DateTimeOffset now, bool mayHaveApplied = false)
    {
        if (mayHaveApplied)
        {
            UncertainState = ClaimedState;
        }
        ReleaseClaim(now);
        ConfirmationFailures++;
        LastConfirmationError = error;
    }

    private void ReleaseClaim(DateTimeOffset now)
    {
        ClaimedState = null;
        ClaimId = null;
        ClaimExpiresAt = null;
        UpdatedAt = now;
    }

    /// <summary>Records what the provider said, after the gateway checked it against this attempt.</summary>
    public void RecordProviderView(PaymentStatus status, string providerStatus, string? transactionId, string? failureCode, string? failureMessage, DateTimeOffset now)
    {
        Status = status;
        ProviderStatus = providerStatus;
        TransactionId = transactionId ?? TransactionId ?? ProviderPaymentId;
        FailureCode = failureCode;
        FailureMessage = failureMessage;
        if (status == PaymentStatus.Paid)
        {
            PaidAt ??= now;
        }
        UpdatedAt = now;
    }
}
