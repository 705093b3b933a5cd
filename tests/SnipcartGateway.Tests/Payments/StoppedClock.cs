namespace SnipcartGateway.Tests.Payments;

/// <summary>A clock that stands still until a test moves it: for what happens at an exact instant. Timers still run
/// on real time (only <see cref="GetUtcNow"/> is stopped).</summary>
internal sealed class StoppedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
