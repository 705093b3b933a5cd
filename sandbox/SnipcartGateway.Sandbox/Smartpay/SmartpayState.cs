using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>
/// The Smartpay simulator's memory: checkout sessions, orders, payments, refunds, webhook endpoints, idempotency
/// keys, the calls it received and the webhooks it sent. A singleton tests resolve to set up scenarios (an order
/// whose amount changed, a 5xx on the next read) and to assert on what happened. One lock guards it all.
/// </summary>
public sealed partial class SmartpayState
{
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly IOptionsMonitor<SmartpaySimulatorOptions> _options;
    private readonly IOptionsMonitor<SandboxOptions> _sandbox;
    private readonly Dictionary<string, SmartpaySimSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SmartpaySimOrder> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SmartpaySimPayment> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SmartpaySimRefund> _refunds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SmartpaySimWebhookEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Status, string Json)> _idempotent = new(StringComparer.Ordinal);
    private readonly Dictionary<SmartpaySimCallKind, Queue<int>> _faults = [];
    private readonly List<SmartpaySimCall> _calls = [];
    private readonly List<SmartpaySimDelivery> _deliveries = [];
    private readonly Channel<PendingDelivery> _queue = Channel.CreateUnbounded<PendingDelivery>();

    public SmartpayState(IOptionsMonitor<SmartpaySimulatorOptions> options, IOptionsMonitor<SandboxOptions> sandbox, TimeProvider clock)
    {
        _options = options;
        _sandbox = sandbox;
        _clock = clock;
    }

    public SmartpaySimulatorOptions Options => _options.CurrentValue;

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>The sandbox's own address (the hosted checkout page lives there).</summary>
    internal string PublicBase => _sandbox.CurrentValue.PublicUrl.TrimEnd('/');

    /// <summary>The gateway the sandbox serves (the default webhook endpoint).</summary>
    internal string GatewayBase => _sandbox.CurrentValue.GatewayUrl.TrimEnd('/');

    internal long NowMs => Now.ToUnixTimeMilliseconds();

    internal ChannelReader<PendingDelivery> PendingDeliveries => _queue.Reader;

    internal ChannelWriter<PendingDelivery> DeliveryQueue => _queue.Writer;

    /// <summary>A webhook to deliver (attempt counts from 1).</summary>
    internal sealed record PendingDelivery(string EndpointId, string EventId, string Type, string Body, int Attempt);

    /// <summary>The mode a secret key belongs to: true for test, false for live, null for no key of ours.</summary>
    public bool? ModeOfKey(string? key)
    {
        var options = Options;
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }
        if (!string.IsNullOrEmpty(options.TestSecretKey) && key == options.TestSecretKey)
        {
            return true;
        }
        if (!string.IsNullOrEmpty(options.LiveSecretKey) && key == options.LiveSecretKey)
        {
            return false;
        }
        return null;
    }

    /// <summary>Polls until <paramref name="condition"/> holds (webhooks are sent in the background); throws on timeout.</summary>
    public async Task WaitUntilAsync(Func<SmartpayState, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The Smartpay simulator did not reach the expected state in time.");
            }
            await Task.Delay(25);
        }
    }

    // ---- test hooks -------------------------------------------------------------------------------------------

    /// <summary>The next <paramref name="times"/> calls of <paramref name="kind"/> answer <paramref name="status"/> with Smartpay's error shape.</summary>
    public void FailNext(SmartpaySimCallKind kind, int status, int times = 1)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(kind, out var queue))
            {
                _faults[kind] = queue = new Queue<int>();
            }
            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(status);
            }
        }
    }

    internal int? TakeFault(SmartpaySimCallKind kind)
    {
        lock (_gate)
        {
            return _faults.TryGetValue(kind, out var queue) && queue.TryDequeue(out var status) ? status : null;
        }
    }

    public IReadOnlyList<SmartpaySimCall> Calls
    {
        get { lock (_gate) { return [.. _calls]; } }
    }

    public IReadOnlyList<SmartpaySimDelivery> Deliveries
    {
        get { lock (_gate) { return [.. _deliveries]; } }
    }

    public IReadOnlyList<SmartpaySimOrder> Orders
    {
        get { lock (_gate) { return [.. _orders.Values.OrderBy(o => o.CreatedAt)]; } }
    }

    public IReadOnlyList<SmartpaySimRefund> Refunds
    {
        get { lock (_gate) { return [.. _refunds.Values.OrderBy(r => r.CreatedAt)]; } }
    }

    public IReadOnlyList<SmartpaySimWebhookEndpoint> WebhookEndpoints
    {
        get { lock (_gate) { return [.. _endpoints.Values.OrderBy(e => e.CreatedAt)]; } }
    }

    internal void RecordCall(SmartpaySimCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }

    internal void RecordDelivery(SmartpaySimDelivery delivery)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }
    }

    public SmartpaySimOrder? FindOrderByReference(string reference)
    {
        lock (_gate)
        {
            return _orders.Values.FirstOrDefault(o => o.Reference == reference);
        }
    }

    public SmartpaySimOrder? GetOrder(string id)
    {
        lock (_gate)
        {
            return _orders.GetValueOrDefault(id);
        }
    }

    public SmartpaySimSession? GetSession(string id)
    {
        lock (_gate)
        {
            return _sessions.GetValueOrDefault(id);
        }
    }

    public SmartpaySimPayment? GetPayment(string id)
    {
        lock (_gate)
        {
            return _payments.GetValueOrDefault(id);
        }
    }

    public SmartpaySimRefund? GetRefund(string id)
    {
        lock (_gate)
        {
            return _refunds.GetValueOrDefault(id);
        }
    }

    /// <summary>Changes what Smartpay says an order is for (a test of amount checks). No webhook.</summary>
    public SmartpaySimOrder? SetOrderAmount(string orderId, long amount)
    {
        lock (_gate)
        {
            return _orders.TryGetValue(orderId, out var order) ? _orders[orderId] = order with { Amount = amount, UpdatedAt = Now } : null;
        }
    }

    // ---- idempotency ------------------------------------------------------------------------------------------

    /// <summary>
    /// Runs a write once per Idempotency-Key (per mode, method and path): a repeated key answers exactly what the
    /// first call answered, as Smartpay documents for 6 hours. Without a key, the write just runs.
    /// </summary>
    internal (int Status, string Json, bool Replayed) Idempotent(bool test, string operation, string? key, Func<(int Status, string Json)> write)
    {
        lock (_gate)
        {
            var slot = $"{(test ? "test" : "live")}|{operation}|{key}";
            if (key is not null && _idempotent.TryGetValue(slot, out var earlier))
            {
                return (earlier.Status, earlier.Json, true);
            }
            var answer = write();
            // Smartpay keeps the answer of a completed request; a refused one (a 4xx) is remembered too, a 5xx not.
            if (key is not null && answer.Status < 500)
            {
                _idempotent[slot] = answer;
            }
            return (answer.Status, answer.Json, false);
        }
    }

    // ---- checkout sessions and orders -------------------------------------------------------------------------

    internal (SmartpaySimSession Session, SmartpaySimOrder Order) CreateSession(
        bool test, long amount, string currency, string captureMethod, IReadOnlyList<SmartpaySimLineItem> items, long shippingFee,
        JsonElement? shippingInfo, JsonElement? customerInfo, string? reference, string? locale, string successUrl, string cancelUrl, string? description = null)
    {
        lock (_gate)
        {
            var now = Now;
            var prefix = test ? "_test_" : "_";
            var session = new SmartpaySimSession
            {
                Id = "checkout" + prefix + SmartpaySimSignature.RandomText(22),
                Test = test,
                OrderId = "order" + prefix + SmartpaySimSignature.RandomText(22),
                SuccessUrl = successUrl,
                CancelUrl = cancelUrl,
                Locale = locale,
                Reference = reference,
                CustomerInfo = customerInfo,
                CreatedAt = now,
                ExpiresAt = now + Options.SessionLifetime,
            };
            var order = new SmartpaySimOrder
            {
                Id = session.OrderId,
                Test = test,
                Status = SmartpaySimStatuses.RequiresAuthorization,
                Amount = amount,
                Currency = currency,
                Reference = reference,
                Description = description,
                CaptureMethod = captureMethod,
                LineItems = items,
                ShippingFee = shippingFee,
                ShippingInfo = shippingInfo,
                SessionId = session.Id,
                CreatedAt = now,
                UpdatedAt = now,
            };
            _sessions.Add(session.Id, session);
            _orders.Add(order.Id, order);
            return (session, order);
        }
    }

    /// <summary>
    /// The shopper confirmed on the hosted page and Smartpay approved: under automatic capture the order is
    /// captured at once (a payment, <c>succeeded</c>), under manual it waits (<c>requires_capture</c>). Webhooks
    /// <c>order.authorized</c> (and <c>payment.created</c>) go out. Null when the order is not awaiting authorisation.
    /// </summary>
    public SmartpaySimOrder? Approve(string orderId)
    {
        lock (_gate)
        {
            if (!_orders.TryGetValue(orderId, out var order) || order.Status != SmartpaySimStatuses.RequiresAuthorization)
            {
                return null;
            }
            if (order.CaptureMethod == "manual")
            {
                order = _orders[orderId] = order with { Status = SmartpaySimStatuses.RequiresCapture, UpdatedAt = Now, AuthorizationExpiresAt = Now + Options.AuthorizationLifetime };
                Emit(SmartpaySimEvents.OrderAuthorized, order.Test, SmartpaySimViews.Order(order));
                return order;
            }
            order = _orders[orderId] = order with { Status = SmartpaySimStatuses.Succeeded, UpdatedAt = Now };
            Emit(SmartpaySimEvents.OrderAuthorized, order.Test, SmartpaySimViews.Order(order));
            CapturePayment(order, order.Amount, order.Reference);
            return _orders[orderId];
        }
    }

    /// <summary>Smartpay declined (hard decline): the order is <c>rejected</c>, <c>order.rejected</c> goes out.</summary>
    public SmartpaySimOrder? Reject(string orderId) => Transition(orderId, [SmartpaySimStatuses.RequiresAuthorization], SmartpaySimStatuses.Rejected, SmartpaySimEvents.OrderRejected);

    /// <summary><c>PUT /orders/{id}/cancellation</c>: only before capture.</summary>
    public SmartpaySimOrder? CancelOrder(string orderId) =>
        Transition(orderId, [SmartpaySimStatuses.RequiresAuthorization, SmartpaySimStatuses.RequiresCapture], SmartpaySimStatuses.Canceled, SmartpaySimEvents.OrderCanceled);

    /// <summary>Sets any status, as Smartpay's back office might (a test hook), with the matching webhook when asked.</summary>
    public SmartpaySimOrder? SetOrderStatus(string orderId, string status, bool notify)
    {
        lock (_gate)
        {
            if (!_orders.TryGetValue(orderId, out var order))
            {
                return null;
            }
            order = _orders[orderId] = order with { Status = status, UpdatedAt = Now };
            var type = status switch
            {
                SmartpaySimStatuses.Succeeded or SmartpaySimStatuses.RequiresCapture => SmartpaySimEvents.OrderAuthorized,
                SmartpaySimStatuses.Rejected => SmartpaySimEvents.OrderRejected,
                SmartpaySimStatuses.Canceled => SmartpaySimEvents.OrderCanceled,
                _ => null,
            };
            if (notify && type is not null)
            {
                Emit(type, order.Test, SmartpaySimViews.Order(order));
            }
            return order;
        }
    }

    private SmartpaySimOrder? Transition(string orderId, string[] from, string to, string eventType)
    {
        lock (_gate)
        {
            if (!_orders.TryGetValue(orderId, out var order) || !from.Contains(order.Status))
            {
                return null;
            }
            order = _orders[orderId] = order with { Status = to, UpdatedAt = Now };
            Emit(eventType, order.Test, SmartpaySimViews.Order(order));
            return order;
        }
    }

    /// <summary><c>POST /payments</c> on a <c>requires_capture</c> order. Error codes as documented.</summary>
    internal (SmartpaySimPayment? Payment, string? ErrorCode) Capture(bool test, string orderId, long amount, string? reference)
    {
        lock (_gate)
        {
            if (!_orders.TryGetValue(orderId, out var order) || order.Test != test)
            {
                return (null, "order.not-found");
            }
            if (order.Status != SmartpaySimStatuses.RequiresCapture || AuthorizationLapsed(order))
            {
                return (null, "order.cannot-capture");
            }
            var captured = order.PaymentIds.Sum(id => _payments[id].Amount);
            if (amount <= 0 || captured + amount > order.Amount)
            {
                return (null, "payment.excessive-amount");
            }
            var payment = CapturePayment(order, amount, reference);
            _orders[orderId] = _orders[orderId] with { Status = SmartpaySimStatuses.Succeeded, UpdatedAt = Now };
            return (payment, null);
        }
    }

    private SmartpaySimPayment CapturePayment(SmartpaySimOrder order, long amount, string? reference)
    {
        var payment = new SmartpaySimPayment
        {
            Id = "payment" + (order.Test ? "_test_" : "_") + SmartpaySimSignature.RandomText(22),
            Test = order.Test,
            OrderId = order.Id,
            Amount = amount,
            Currency = order.Currency,
            Reference = reference,
            Status = "processed",
            CreatedAt = Now,
        };
        _payments.Add(payment.Id, payment);
        _orders[order.Id] = _orders[order.Id] with { PaymentIds = [.. order.PaymentIds, payment.Id], UpdatedAt = Now };
        Emit(SmartpaySimEvents.PaymentCreated, order.Test, SmartpaySimViews.Payment(payment));
        return payment;
    }

    /// <summary>When true, refunds are created "pending" and stay so until <see cref="SettleRefund"/>; their amount is
    /// held on the payment meanwhile.</summary>
    public bool RefundsSettleLater { get; set; }

    /// <summary>Settles a pending refund to succeeded or failed (a failed one gives its amount back to the payment).</summary>
    public SmartpaySimRefund? SettleRefund(string refundId, bool succeeded)
    {
        lock (_gate)
        {
            if (!_refunds.TryGetValue(refundId, out var refund) || refund.Status != "pending")
            {
                return refund;
            }
            var settled = refund with { Status = succeeded ? "succeeded" : "failed" };
            _refunds[refundId] = settled;
            if (!succeeded && _payments.TryGetValue(refund.PaymentId, out var payment))
            {
                var refunded = payment.RefundedAmount - refund.Amount;
                _payments[refund.PaymentId] = payment with { RefundedAmount = refunded, Status = refunded == payment.Amount ? "refunded" : "processed" };
            }
            return settled;
        }
    }

    /// <summary><c>POST /refunds</c>. Error codes: payment.not-found, amount.insufficient, request.invalid.</summary>
    internal (SmartpaySimRefund? Refund, string? ErrorCode) Refund(bool test, string paymentId, long amount, string currency, string reason, string? reference)
    {
        lock (_gate)
        {
            if (!_payments.TryGetValue(paymentId, out var payment) || payment.Test != test)
            {
                return (null, "payment.not-found");
            }
            if (!string.Equals(currency, payment.Currency, StringComparison.OrdinalIgnoreCase) || amount <= 0)
            {
                return (null, "request.invalid");
            }
            if (amount > payment.Amount - payment.RefundedAmount)
            {
                return (null, "amount.insufficient");
            }
            var refund = new SmartpaySimRefund
            {
                Id = "refund" + (test ? "_test_" : "_") + SmartpaySimSignature.RandomText(22),
                Test = test,
                PaymentId = paymentId,
                Amount = amount,
                Currency = payment.Currency,
                Reason = reason,
                Reference = reference,
                Status = RefundsSettleLater ? "pending" : "succeeded",
                CreatedAt = Now,
            };
            _refunds.Add(refund.Id, refund);
            var refunded = payment.RefundedAmount + amount;
            _payments[paymentId] = payment with
            {
                RefundedAmount = refunded,
                RefundIds = [.. payment.RefundIds, refund.Id],
                Status = refunded == payment.Amount ? "refunded" : payment.Status,
            };
            Emit(SmartpaySimEvents.RefundCreated, test, SmartpaySimViews.Refund(refund));
            return (refund, null);
        }
    }

    // ---- webhook endpoints and events -------------------------------------------------------------------------

    public SmartpaySimWebhookEndpoint AddWebhookEndpoint(bool test, string url, IReadOnlyList<string>? subscriptions, string? description, string? signingSecret = null)
    {
        lock (_gate)
        {
            var endpoint = new SmartpaySimWebhookEndpoint
            {
                Id = "webhookendpoint" + (test ? "_test_" : "_") + SmartpaySimSignature.RandomText(22),
                Test = test,
                Url = url,
                SigningSecret = signingSecret ?? SmartpaySimSignature.NewSigningSecret(),
                EventSubscriptions = subscriptions ?? [],
                Description = description,
                CreatedAt = Now,
            };
            _endpoints.Add(endpoint.Id, endpoint);
            return endpoint;
        }
    }

    public SmartpaySimWebhookEndpoint? GetWebhookEndpoint(string id)
    {
        lock (_gate)
        {
            return _endpoints.GetValueOrDefault(id);
        }
    }

    public bool RemoveWebhookEndpoint(string id)
    {
        lock (_gate)
        {
            return _endpoints.Remove(id);
        }
    }

    /// <summary>Queues an event for every active endpoint of the mode subscribed to it.</summary>
    private void Emit(string type, bool test, object data)
    {
        var eventId = "evt" + (test ? "_test_" : "_") + SmartpaySimSignature.RandomText(22);
        var body = JsonSerializer.Serialize(new
        {
            id = eventId,
            @object = "event",
            createdAt = NowMs,
            test,
            eventData = new { type, version = "2022-02-18", data },
        });
        foreach (var endpoint in _endpoints.Values.Where(e => e.Active && e.Test == test
            && (e.EventSubscriptions.Count == 0 || e.EventSubscriptions.Contains(type))))
        {
            _queue.Writer.TryWrite(new PendingDelivery(endpoint.Id, eventId, type, body, 1));
        }
    }

    /// <summary>Forgets everything but the webhook endpoints.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _sessions.Clear();
            _orders.Clear();
            _payments.Clear();
            _refunds.Clear();
            _idempotent.Clear();
            _faults.Clear();
            _calls.Clear();
            _deliveries.Clear();
        }
    }
}

public static class SmartpaySimStatuses
{
    public const string RequiresAuthorization = "requires_authorization";
    public const string RequiresCapture = "requires_capture";
    public const string Succeeded = "succeeded";
    public const string Rejected = "rejected";
    public const string Canceled = "canceled";

    public static bool IsFinal(string status) => status is Succeeded or Rejected or Canceled or "failed";
}
