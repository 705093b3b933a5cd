using System.Text;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>
/// The simulated SmartPay, in memory: transactions and their modifications, issued OAuth tokens, the calls its API
/// received and the notifications it sent. A singleton tests resolve to set up scenarios and assert on what happened.
/// </summary>
public sealed partial class JpmSmartPayState(IOptionsMonitor<JpmSmartPaySandboxSettings> settings, IOptionsMonitor<SandboxOptions> sandbox, TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, JpmTransactionRecord> _transactions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly List<JpmCallRecord> _calls = [];
    private readonly List<JpmNotificationRecord> _notifications = [];
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>();
    private int _tokensIssued;

    public JpmSmartPaySandboxSettings Settings => settings.CurrentValue;

    public DateTimeOffset Now => clock.GetUtcNow();

    public string NotificationUrl =>
        Settings.NotificationUrl ?? sandbox.CurrentValue.GatewayBase + "/api/providers/jpmsmartpay/notifications";

    internal ChannelReader<string> PendingNotifications => _queue.Reader;

    public IReadOnlyList<JpmTransactionRecord> Transactions { get { lock (_gate) { return [.. _transactions.Values.OrderBy(t => t.CreatedAt)]; } } }

    public IReadOnlyList<JpmCallRecord> Calls { get { lock (_gate) { return [.. _calls]; } } }

    public IReadOnlyList<JpmNotificationRecord> Notifications { get { lock (_gate) { return [.. _notifications]; } } }

    public int TokensIssued { get { lock (_gate) { return _tokensIssued; } } }

    /// <summary>Every access token issued (tests look for them in logs).</summary>
    public IReadOnlyList<string> IssuedTokens { get { lock (_gate) { return [.. _tokens.Keys]; } } }

    public JpmTransactionRecord? Get(string transactionId)
    {
        lock (_gate)
        {
            return _transactions.GetValueOrDefault(transactionId);
        }
    }

    public JpmTransactionRecord? FindByReference(string partnerReference)
    {
        lock (_gate)
        {
            return _transactions.Values.FirstOrDefault(t => t.PartnerReference == partnerReference);
        }
    }

    public JpmTransactionRecord? FindByToken(string checkoutToken)
    {
        lock (_gate)
        {
            return _transactions.Values.FirstOrDefault(t => CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(t.CheckoutToken), Encoding.UTF8.GetBytes(checkoutToken)));
        }
    }

    // ---- OAuth ----

    internal (string Token, TimeSpan Lifetime) IssueToken()
    {
        var token = "eyJ" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var lifetime = Settings.TokenLifetime;
        lock (_gate)
        {
            _tokens[token] = Now + lifetime;
            _tokensIssued++;
        }
        return (token, lifetime);
    }

    internal bool IsValidToken(string token)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out var expiresAt) && expiresAt > Now;
        }
    }

    /// <summary>Test hook: every token issued so far expires now (the gateway still holds one it thinks is good).</summary>
    public void ExpireTokens()
    {
        lock (_gate)
        {
            foreach (var token in _tokens.Keys.ToList())
            {
                _tokens[token] = DateTimeOffset.MinValue;
            }
        }
    }

    // ---- transactions ----

    /// <summary>Null when the partnerReference was used before (SmartPay: unique per merchant).</summary>
    internal JpmTransactionRecord? Create(string partnerReference, decimal amount, string currency, string? description, string requestBody)
    {
        lock (_gate)
        {
            if (_transactions.Values.Any(t => t.PartnerReference == partnerReference))
            {
                return null;
            }
            var transaction = new JpmTransactionRecord
            {
                TransactionId = Guid.NewGuid().ToString(),
                CheckoutToken = CheckoutToken(),
                PartnerReference = partnerReference,
                Status = JpmStatuses.Created,
                Amount = amount,
                CurrencyCode = currency,
                Description = description,
                RequestBody = requestBody,
                CreatedAt = Now,
                LastStatusAt = Now,
                TokenExpiresAt = Now + Settings.CheckoutLifetime,
            };
            _transactions.Add(transaction.TransactionId, transaction);
            return transaction;
        }
    }

    /// <summary>What a status read answers: the current status; then the transaction moves one step along its path.</summary>
    internal JpmTransactionRecord? ReadStatus(string transactionId)
    {
        lock (_gate)
        {
            if (!_transactions.TryGetValue(transactionId, out var transaction))
            {
                return null;
            }
            if (transaction.Path.Count > 0)
            {
                var next = transaction.Path[0];
                _transactions[transactionId] = transaction with { Status = next, Path = transaction.Path.Skip(1).ToList(), LastStatusAt = Now };
                if (JpmStatuses.IsPaid(next))
                {
                    // SmartPay notifies AUTHORIZATION_COMPLETED, CAPTURED and SETTLED.
                    QueueNotification(transactionId);
                }
            }
            return transaction;
        }
    }

    /// <summary>
    /// Test hook and the widget's submit: sets the status now, and the statuses the next status reads move through
    /// (e.g. AUTHORIZATION_PENDING now, then CAPTURE_PENDING, then CAPTURED). Queues a notification when asked.
    /// </summary>
    public JpmTransactionRecord? SetStatus(string transactionId, string status, IReadOnlyList<string>? path = null, bool notify = false, string? paymentMethod = null)
    {
        foreach (var word in (path ?? []).Append(status))
        {
            if (!JpmStatuses.All.Contains(word))
            {
                throw new ArgumentException($"'{word}' is not a SmartPay status this simulator knows.", nameof(status));
            }
        }
        JpmTransactionRecord updated;
        lock (_gate)
        {
            if (!_transactions.TryGetValue(transactionId, out var transaction))
            {
                return null;
            }
            _transactions[transactionId] = updated = transaction with
            {
                Status = status,
                Path = path ?? [],
                LastStatusAt = Now,
                PaymentMethod = paymentMethod ?? transaction.PaymentMethod,
                ReconciliationReferenceId = transaction.ReconciliationReferenceId is { Length: > 0 } r ? r : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10)),
            };
        }
        if (notify)
        {
            QueueNotification(transactionId);
        }
        return updated;
    }

    /// <summary>Test hook: the status answers report another amount than the checkout was created for.</summary>
    public void AnswerAmount(string transactionId, decimal amount)
    {
        lock (_gate)
        {
            if (_transactions.TryGetValue(transactionId, out var transaction))
            {
                _transactions[transactionId] = transaction with { Amount = amount };
            }
        }
    }

    /// <summary>Test hook: the checkout token dies now (the widget then reports ERROR_CHECKOUT_TIMEOUT).</summary>
    public void ExpireCheckout(string transactionId)
    {
        lock (_gate)
        {
            if (_transactions.TryGetValue(transactionId, out var transaction))
            {
                _transactions[transactionId] = transaction with { TokenExpiresAt = Now };
            }
        }
    }

    public void QueueNotification(string transactionId) => _queue.Writer.TryWrite(transactionId);

    /// <summary>
    /// A modification keyed by modificationId: the same id again answers the first result and does nothing more.
    /// Returns the transaction after it, or an error code.
    /// </summary>
    internal (JpmTransactionRecord? Transaction, string? ErrorCode) Modify(string transactionId, string modificationId, string kind, decimal? amount)
    {
        lock (_gate)
        {
            if (!_transactions.TryGetValue(transactionId, out var transaction))
            {
                return (null, "TRANSACTION_NOT_FOUND");
            }
            if (transaction.Modifications.Any(m => m.ModificationId == modificationId))
            {
                return (transaction, null);
            }
            JpmModificationRecord modification;
            var status = transaction.Status;
            switch (kind)
            {
                case "REFUND":
                    if (transaction.Status is not (JpmStatuses.Captured or JpmStatuses.Settled))
                    {
                        return (null, "TRANSACTION_NOT_REFUNDABLE");
                    }
                    var refund = amount ?? transaction.Amount - transaction.RefundHeld;
                    if (refund <= 0 || decimal.Round(refund, 2) != refund)
                    {
                        return (null, "INVALID_AMOUNT");
                    }
                    if (refund > transaction.Amount - transaction.RefundHeld)
                    {
                        return (null, "REFUND_AMOUNT_EXCEEDED");
                    }
                    modification = new JpmModificationRecord(modificationId, "REFUND", RefundsSettleLater ? "PENDING" : "SUCCESS", refund, transaction.CurrencyCode, Now);
                    break;
                case "CAPTURE":
                    if (CaptureRefusal(transaction, amount) is { } refusal)
                    {
                        return (null, refusal);
                    }
                    modification = new JpmModificationRecord(modificationId, "CAPTURE", "SUCCESS", amount ?? transaction.Amount, transaction.CurrencyCode, Now);
                    status = JpmStatuses.Captured;
                    break;
                case "CANCEL_OR_REFUND":
                    if (transaction.Status == JpmStatuses.Created && !Settings.CancelCreated)
                    {
                        return (null, "TRANSACTION_NOT_MODIFIABLE");
                    }
                    if (JpmStatuses.IsOpen(transaction.Status) || transaction.Status == JpmStatuses.AuthorizationCompleted)
                    {
                        modification = new JpmModificationRecord(modificationId, "CANCELLATION", "SUCCESS", transaction.Amount, transaction.CurrencyCode, Now);
                        status = JpmStatuses.Cancelled;
                    }
                    else if (transaction.Status is JpmStatuses.Captured or JpmStatuses.Settled && transaction.Amount > transaction.Refunded)
                    {
                        modification = new JpmModificationRecord(modificationId, "REFUND", "SUCCESS", transaction.Amount - transaction.Refunded, transaction.CurrencyCode, Now);
                    }
                    else
                    {
                        return (null, "TRANSACTION_NOT_MODIFIABLE");
                    }
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind));
            }
            var updated = transaction with { Status = status, Path = status == transaction.Status ? transaction.Path : [], Modifications = [.. transaction.Modifications, modification], LastStatusAt = Now };
            _transactions[transactionId] = updated;
            return (updated, null);
        }
    }

    /// <summary>When true, refunds are accepted as "PENDING" modifications and stay so until <see cref="SettleRefund"/>.</summary>
    public bool RefundsSettleLater { get; set; }

    /// <summary>Settles a pending refund modification (by our modificationId) to SUCCESS or FAILED. False when there is
    /// no such pending modification.</summary>
    public bool SettleRefund(string transactionId, string modificationId, bool succeeded)
    {
        lock (_gate)
        {
            if (!_transactions.TryGetValue(transactionId, out var transaction))
            {
                return false;
            }
            var pending = transaction.Modifications.FirstOrDefault(m => m.ModificationId == modificationId && m.Status == "PENDING");
            if (pending is null)
            {
                return false;
            }
            var settled = pending with { Status = succeeded ? "SUCCESS" : "FAILED", At = Now };
            _transactions[transactionId] = transaction with
            {
                Modifications = [.. transaction.Modifications.Select(m => ReferenceEquals(m, pending) ? settled : m)],
                LastStatusAt = Now,
            };
            return true;
        }
    }

    internal void RecordCall(JpmCallRecord call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }

    internal void RecordNotification(JpmNotificationRecord record)
    {
        lock (_gate)
        {
            _notifications.Add(record);
        }
    }

    public async Task WaitUntilAsync(Func<JpmSmartPayState, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The simulated SmartPay did not reach the expected state in time.");
            }
            await Task.Delay(25);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _transactions.Clear();
            _tokens.Clear();
            _calls.Clear();
            _notifications.Clear();
            _tokensIssued = 0;
        }
    }

    /// <summary>64 characters, as the docs' example token (512 bits).</summary>
    private static string CheckoutToken()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return new string(RandomNumberGenerator.GetItems<char>(alphabet, 64));
    }
}
