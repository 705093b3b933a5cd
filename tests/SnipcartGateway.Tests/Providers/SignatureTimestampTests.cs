using SnipcartGateway.Providers;

namespace SnipcartGateway.Tests.Providers;

public sealed class SignatureTimestampTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(0, true)]
    [InlineData(-300, true)]
    [InlineData(300, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void Seconds_within_the_tolerance_either_way_are_fresh(long offset, bool fresh) =>
        Assert.Equal(fresh, SignatureTimestamp.IsFresh(Now.ToUnixTimeSeconds() + offset, Now, FiveMinutes));

    [Theory]
    [InlineData(253402300800L)]          // one second past DateTimeOffset.MaxValue
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(-62135596801L)]          // one second before DateTimeOffset.MinValue
    public void Timestamps_outside_any_date_are_stale_and_never_throw(long seconds)
    {
        Assert.False(SignatureTimestamp.IsFresh(seconds, Now, FiveMinutes));
        Assert.False(SignatureTimestamp.IsFreshMilliseconds(seconds, Now, FiveMinutes));
    }

    [Fact]
    public void Milliseconds_are_compared_as_milliseconds()
    {
        var nowMs = Now.ToUnixTimeMilliseconds();
        Assert.True(SignatureTimestamp.IsFreshMilliseconds(nowMs - 299_999, Now, FiveMinutes));
        Assert.False(SignatureTimestamp.IsFreshMilliseconds(nowMs + 300_001, Now, FiveMinutes));
        // A seconds value read as milliseconds is 1970: stale.
        Assert.False(SignatureTimestamp.IsFreshMilliseconds(Now.ToUnixTimeSeconds(), Now, FiveMinutes));
    }
}
