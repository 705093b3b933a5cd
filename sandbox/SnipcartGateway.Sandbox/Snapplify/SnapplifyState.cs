using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace SnipcartGateway.Sandbox.Snapplify;

/// <summary>
/// Everything the Snapplify Pay simulator knows, in memory: payments by token, the IPN bodies it sent (what
/// /payment/ipn/validate vouches for), every IPN delivery attempt and every validate call. Tests resolve it from the
/// sandbox's services to act as the shopper or Snapplify's back office and to count calls.
/// </summary>
public sealed class SnapplifyState(IOptionsMonitor<SnapplifySimulatorOptions> options, TimeProvider clock)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SnapplifySimPayment> _payments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SnapplifyValidateOverride> _overrides = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _validateCalls = new(StringComparer.Ordinal);
    private readonly HashSet<(string Client, string Body)> _sentIpnBodies = [];
    private readonly List<SnapplifyIpnAttempt> _ipnAttempts = [];
    private readonly Queue<SnapplifyRequestFault> _requestFaults = new();
    private readonly Channel<string> _ipns = Channel.CreateUnbounded<string>();

    public SnapplifySimulatorOptions Options => options.CurrentValue;

    private bool? _validateHangs;
    private bool? _ipnValidateHangs;
    private readonly Dictionary<string, int> _hungCalls = new(StringComparer.Ordinal);

    /// <summary>/payment/validate never answers while true (until the caller gives up); the setting's value until a
    /// test sets it.</summary>
    public bool ValidateHangs
    {
        get { lock (_gate) { return _validateHangs ?? Options.ValidateHangs; } }
        set { lock (_gate) { _validateHangs = value; } }
    }

    /// <summary>/payment/ipn/validate never answers while true.</summary>
    public bool IpnValidateHangs
    {
        get { lock (_gate) { return _ipnValidateHangs ?? Options.IpnValidateHangs; } }
        set { lock (_gate) { _ipnValidateHangs = value; } }
    }

    /// <summary>How many calls to this path ("/payment/validate", "/payment/ipn/validate") were left hanging.</summary>
    public int HungCalls(string path)
    {
        lock (_gate)
        {
            return _hungCalls.GetValueOrDefault(path);
        }
    }

    /// <summary>Holds a call that must never be answered until its caller hangs up (then it throws, as the request is
    /// aborted). Counted first, so a test knows the call arrived.</summary>
    internal async Task HangAsync(string path, CancellationToken requestAborted)
    {
        lock (_gate)
        {
            _hungCalls[path] = _hungCalls.GetValueOrDefault(path) + 1;
        }
        await Task.Delay(Timeout.Infinite, requestAborted);
    }

    public DateTimeOffset Now => clock.GetUtcNow();

    internal ChannelReader<string> PendingIpns => _ipns.Reader;

    public IReadOnlyList<SnapplifySimPayment> Payments
    {
        get { lock (_gate) { return [.. _payments.Values.OrderBy(p => p.CreatedDate)]; } }
    }

    public IReadOnlyList<SnapplifyIpnAttempt> IpnAttempts
    {
        get { lock (_gate) { return [.. _ipnAttempts]; } }
    }

    public SnapplifySimPayment? Get(string? token)
    {
        lock (_gate)
        {
            return token is null ? null : _payments.GetValueOrDefault(token);
        }
    }

    /// <summary>The latest payment requested with this referenceCode.</summary>
    public SnapplifySimPayment? FindByReference(string referenceCode)
    {
        lock (_gate)
        {
            return _payments.Values.Where(p => p.ReferenceCode == referenceCode).MaxBy(p => p.CreatedDate);
        }
    }

    /// <summary>How many /payment/validate calls named this token.</summary>
    public int ValidateCalls(string token)
    {
        lock (_gate)
        {
            return _validateCalls.GetValueOrDefault(token);
        }
    }

    internal SnapplifySimPayment Add(SnapplifySimPayment payment)
    {
        lock (_gate)
        {
            _payments.Add(payment.Token, payment);
            return payment;
        }
    }

    /// <summary>Sets the payment's state as the shopper or Snapplify's back office would (with the error fields for
    /// ERROR), and queues its IPN when <paramref name="notify"/>. Null for an unknown token.</summary>
    public SnapplifySimPayment? SetState(string token, string state, bool notify, string? errorCode = null, string? errorMessage = null)
    {
        SnapplifySimPayment updated;
        lock (_gate)
        {
            if (!_payments.TryGetValue(token, out var payment))
            {
                return null;
            }
            var completed = state is SnapplifyStates.Completed or SnapplifyStates.Paid;
            _payments[token] = updated = payment with
            {
                PaymentState = state,
                UpdatedDate = Now,
                CompletedDate = completed ? Now : payment.CompletedDate,
                PaymentMethod = state == SnapplifyStates.New ? payment.PaymentMethod : "Credit Card",
                ErrorCode = state == SnapplifyStates.Error ? errorCode ?? "DECLINED" : null,
                ErrorMessage = state == SnapplifyStates.Error ? errorMessage ?? "The payment was declined." : null,
            };
        }
        if (notify)
        {
            TriggerIpn(token);
        }
        return updated;
    }

    /// <summary>Queues an IPN of the payment's current state (sent in the background, retried 3 times).</summary>
    public void TriggerIpn(string token) => _ipns.Writer.TryWrite(token);

    /// <summary>From now on /payment/validate answers these values for the payment instead of the true ones.</summary>
    public void TamperValidate(string token, SnapplifyValidateOverride tamper)
    {
        lock (_gate)
        {
            _overrides[token] = tamper;
        }
    }

    /// <summary>The next /payment/request answers this error instead of creating a payment.</summary>
    public void FailNextRequest(SnapplifyRequestFault fault)
    {
        lock (_gate)
        {
            _requestFaults.Enqueue(fault);
        }
    }

    internal SnapplifyRequestFault? TakeRequestFault()
    {
        lock (_gate)
        {
            return _requestFaults.TryDequeue(out var fault) ? fault : null;
        }
    }

    /// <summary>Marks the payment validated (the first time) and counts the call; returns it with the test's
    /// override, if any. Null when the client has no payment with this token.</summary>
    internal (SnapplifySimPayment Payment, SnapplifyValidateOverride? Tamper)? Validate(string client, string token)
    {
        lock (_gate)
        {
            _validateCalls[token] = _validateCalls.GetValueOrDefault(token) + 1;
            if (!_payments.TryGetValue(token, out var payment) || payment.Client != client)
            {
                return null;
            }
            if (!payment.Validated)
            {
                _payments[token] = payment = payment with { Validated = true, ValidatedDate = Now, ValidatedToken = Guid.NewGuid().ToString() };
            }
            return (payment, _overrides.GetValueOrDefault(token));
        }
    }

    internal void RecordSentIpn(string client, string body)
    {
        lock (_gate)
        {
            _sentIpnBodies.Add((client, body));
        }
    }

    /// <summary>True when this exact body is an IPN the simulator sent for one of the client's payments.</summary>
    internal bool SentIpn(string client, string body)
    {
        lock (_gate)
        {
            return _sentIpnBodies.Contains((client, body));
        }
    }

    internal void RecordIpnAttempt(SnapplifyIpnAttempt attempt)
    {
        lock (_gate)
        {
            _ipnAttempts.Add(attempt);
        }
    }
}
