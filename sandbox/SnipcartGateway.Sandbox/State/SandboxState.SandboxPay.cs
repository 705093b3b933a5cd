namespace SnipcartGateway.Sandbox;

// Sandbox Pay's side: payments, refunds, idempotency keys.
public sealed partial class SandboxState
{
    private readonly Dictionary<string, SandboxPayPayment> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _paymentKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxPayRefund> _refunds = new(StringComparer.Ordinal);

    public IReadOnlyList<SandboxPayPayment> SandboxPayPayments
    {
        get { lock (_gate) { return [.. _payments.Values.OrderBy(p => p.CreatedAt)]; } }
    }

    public IReadOnlyList<SandboxPayRefund> SandboxPayRefunds
    {
        get { lock (_gate) { return [.. _refunds.Values.OrderBy(r => r.CreatedAt)]; } }
    }

    public SandboxPayPayment? GetSandboxPayPayment(string id)
    {
        lock (_gate)
        {
            return _payments.GetValueOrDefault(id);
        }
    }

    public SandboxPayPayment? FindSandboxPayPaymentByReference(string reference)
    {
        lock (_gate)
        {
            return _payments.Values.FirstOrDefault(p => p.Reference == reference);
        }
    }

    public SandboxPayPayment? FindSandboxPayPaymentByCheckoutToken(string checkoutToken)
    {
        lock (_gate)
        {
            return _payments.Values.FirstOrDefault(p => p.CheckoutToken is not null && p.CheckoutToken == checkoutToken);
        }
    }

    /// <summary>Creates a payment, or returns the one created earlier with the same idempotency key (Replayed).</summary>
    internal (SandboxPayPayment Payment, bool Replayed) CreateSandboxPayPayment(SandboxPayPayment payment)
    {
        lock (_gate)
        {
            if (payment.IdempotencyKey is { } key && _paymentKeys.TryGetValue(key, out var existingId))
            {
                return (_payments[existingId], true);
            }
            _payments.Add(payment.Id, payment);
            if (payment.IdempotencyKey is { } newKey)
            {
                _paymentKeys.Add(newKey, payment.Id);
            }
            return (payment, false);
        }
    }

    /// <summary>
    /// Sets a payment's status as if the shopper (or the provider's back office) had acted, and optionally
    /// queues its notification. Returns null when the payment is unknown.
    /// </summary>
    public SandboxPayPayment? SetSandboxPayStatus(string id, string status, bool notify)
    {
        if (!SandboxPayStatuses.All.Contains(status))
        {
            throw new ArgumentException($"'{status}' is not a Sandbox Pay status.", nameof(status));
        }
        SandboxPayPayment updated;
        lock (_gate)
        {
            if (!_payments.TryGetValue(id, out var payment))
            {
                return null;
            }
            _payments[id] = updated = payment with { Status = status };
        }
        if (notify)
        {
            QueueSandboxPayNotification(id);
        }
        return updated;
    }

    /// <summary>Cancels an unpaid payment (requires_action or pending); error code "not_final" refusals carry the
    /// payment as it is. Counts the calls in <see cref="SandboxPayCancels"/>.</summary>
    public (SandboxPayPayment? Payment, string? ErrorCode) CancelSandboxPayPayment(string id)
    {
        lock (_gate)
        {
            SandboxPayCancels++;
            if (!_payments.TryGetValue(id, out var payment))
            {
                return (null, "not_found");
            }
            if (SandboxPayStatuses.IsFinal(payment.Status))
            {
                return (payment, payment.Status == SandboxPayStatuses.Canceled ? null : "payment_final");
            }
            _payments[id] = payment = payment with { Status = SandboxPayStatuses.Canceled };
            return (payment, null);
        }
    }

    /// <summary>How many cancel calls Sandbox Pay received.</summary>
    public int SandboxPayCancels { get; private set; }

    /// <summary>When true, notifications name only Sandbox Pay's payment id (no reference), like providers whose
    /// webhooks carry their own ids only.</summary>
    public bool SandboxPayNotificationsWithoutReference { get; set; }

    /// <summary>Queues a notification of the payment's current status (sent in the background).</summary>
    public void QueueSandboxPayNotification(string id) => _notifications.Writer.TryWrite(id);

    /// <summary>
    /// A refund the merchant makes in Sandbox Pay's own dashboard, not through the gateway: the payment's
    /// refundedAmount grows and a "payment.updated" notification goes out, as real providers report refunds they
    /// made themselves. Returns the refund, or an error code as <see cref="RefundSandboxPay"/>.
    /// </summary>
    public (SandboxPayRefund? Refund, string? ErrorCode) RefundFromDashboard(string paymentId, decimal amount, bool notify = true)
    {
        var (refund, _, code) = RefundSandboxPay(paymentId, amount, "dashboard-" + Guid.NewGuid().ToString("N"));
        if (refund is not null && notify)
        {
            QueueSandboxPayNotification(paymentId);
        }
        return (refund, code);
    }

    /// <summary>
    /// Refunds once per idempotency key. Returns the refund, or an error code: not_found,
    /// payment_not_succeeded, amount_exceeds_refundable, invalid_amount.
    /// </summary>
    internal (SandboxPayRefund? Refund, bool Replayed, string? ErrorCode) RefundSandboxPay(string paymentId, decimal amount, string idempotencyKey)
    {
        lock (_gate)
        {
            if (_refunds.TryGetValue(idempotencyKey, out var earlier))
            {
                return (earlier, true, null);
            }
            if (!_payments.TryGetValue(paymentId, out var payment))
            {
                return (null, false, "not_found");
            }
            if (payment.Status != SandboxPayStatuses.Succeeded)
            {
                return (null, false, "payment_not_succeeded");
            }
            if (amount <= 0 || !SandboxMoney.HasValidPrecision(amount, payment.Currency))
            {
                return (null, false, "invalid_amount");
            }
            if (amount > payment.Amount - payment.RefundedAmount)
            {
                return (null, false, "amount_exceeds_refundable");
            }
            var refund = new SandboxPayRefund(SandboxIds.SandboxPayRefundId(), SandboxPayRefundsSettleLater ? "pending" : "succeeded", amount, paymentId, idempotencyKey, Now);
            _refunds.Add(idempotencyKey, refund);
            _payments[paymentId] = payment with { RefundedAmount = payment.RefundedAmount + amount };
            return (refund, false, null);
        }
    }

    /// <summary>When true, refunds asked for through the API are answered "pending" and stay so until
    /// <see cref="SettleSandboxPayRefund"/> (as a bank transfer back would); their amount is held meanwhile.</summary>
    public bool SandboxPayRefundsSettleLater { get; set; }

    public SandboxPayRefund? GetSandboxPayRefund(string refundId)
    {
        lock (_gate)
        {
            return _refunds.Values.FirstOrDefault(r => r.Id == refundId);
        }
    }

    /// <summary>Settles a pending refund to "succeeded" or "failed" (a failed one gives its amount back to the payment).
    /// Returns null when there is no such refund; a refund already final is left as it is.</summary>
    public SandboxPayRefund? SettleSandboxPayRefund(string refundId, bool succeeded)
    {
        lock (_gate)
        {
            var refund = _refunds.Values.FirstOrDefault(r => r.Id == refundId);
            if (refund is null || refund.Status != "pending")
            {
                return refund;
            }
            var settled = refund with { Status = succeeded ? "succeeded" : "failed" };
            _refunds[refund.IdempotencyKey] = settled;
            if (!succeeded && _payments.TryGetValue(refund.Payment, out var payment))
            {
                _payments[refund.Payment] = payment with { RefundedAmount = payment.RefundedAmount - refund.Amount };
            }
            return settled;
        }
    }
}
