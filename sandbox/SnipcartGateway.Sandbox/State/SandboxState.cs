using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace SnipcartGateway.Sandbox;

/// <summary>
/// Everything the sandbox knows, in memory: Snipcart's payment sessions and tokens, Sandbox Pay's payments and
/// refunds, and every call received and sent. A singleton that tests resolve from the host's services to set
/// up scenarios and to assert on what happened. One lock guards it all: the sandbox is small and slow paths
/// (HTTP) run outside it.
/// </summary>
public sealed partial class SandboxState
{
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly IOptionsMonitor<SandboxOptions> _options;
    private readonly Channel<string> _notifications = Channel.CreateUnbounded<string>();

    public SandboxState(IOptionsMonitor<SandboxOptions> options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
    }

    public SandboxOptions Options => _options.CurrentValue;

    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Sandbox Pay payment ids whose notification is due (read by SandboxPayNotifier).</summary>
    internal ChannelReader<string> PendingNotifications => _notifications.Reader;

    /// <summary>Polls until <paramref name="condition"/> holds (background notifications, webhooks); throws on timeout.</summary>
    public async Task WaitUntilAsync(Func<SandboxState, bool> condition, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The sandbox did not reach the expected state in time.");
            }
            await Task.Delay(25, cancellationToken);
        }
    }

    /// <summary>Forgets everything (sessions, payments, records, faults, delays).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _sessions.Clear();
            _tokens.Clear();
            _paymentCalls.Clear();
            _faults.Clear();
            _delays.Clear();
            _answerDelays.Clear();
            _received.Clear();
            _sent.Clear();
            _storeRefunds.Clear();
            _payments.Clear();
            _paymentKeys.Clear();
            _refunds.Clear();
        }
    }
}
