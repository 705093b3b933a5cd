namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>The system clock, whose timers fire only when the test says so: a budget runs out at the step the test
/// chose, not after some wall-clock time.</summary>
public sealed class HeldTimers : TimeProvider
{
    private readonly List<HeldTimer> _timers = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new HeldTimer(callback, state);
        lock (_timers)
        {
            _timers.Add(timer);
        }
        return timer;
    }

    public void FireAll()
    {
        HeldTimer[] timers;
        lock (_timers)
        {
            timers = [.. _timers];
        }
        foreach (var timer in timers)
        {
            timer.Fire();
        }
    }

    private sealed class HeldTimer(TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public void Fire()
        {
            if (!_disposed)
            {
                callback(state);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period) => !_disposed;

        public void Dispose() => _disposed = true;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
