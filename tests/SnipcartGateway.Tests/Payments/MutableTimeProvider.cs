namespace SnipcartGateway.Tests.Payments;

/// <summary>The system clock plus an offset a test can move forward: "ten minutes later" without waiting.
/// Timers (Task.Delay with this provider) still run on real time, so polling loops behave as in production.</summary>
public sealed class MutableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
