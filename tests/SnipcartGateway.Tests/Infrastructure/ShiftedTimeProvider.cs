namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>The system clock moved by a fixed offset: a process that runs "later" than the others.</summary>
public sealed class ShiftedTimeProvider(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}
