namespace SnipcartGateway.Providers;

/// <summary>
/// The freshness check every signed notification makes against replays. Timestamps come from the request, so
/// anything is possible (t=9223372036854775807): the comparison is done on 128-bit integers and never converts the
/// value to a date, which would throw for values outside DateTimeOffset's range and turn a forged header into a 500.
/// </summary>
public static class SignatureTimestamp
{
    /// <summary>True when <paramref name="unixSeconds"/> is within <paramref name="tolerance"/> of now, either way.</summary>
    public static bool IsFresh(long unixSeconds, DateTimeOffset now, TimeSpan tolerance) =>
        Int128.Abs((Int128)unixSeconds - now.ToUnixTimeSeconds()) <= (Int128)tolerance.TotalSeconds;

    /// <summary>The same for timestamps in milliseconds (Smartpay's webhooks).</summary>
    public static bool IsFreshMilliseconds(long unixMilliseconds, DateTimeOffset now, TimeSpan tolerance) =>
        Int128.Abs((Int128)unixMilliseconds - now.ToUnixTimeMilliseconds()) <= (Int128)tolerance.TotalMilliseconds;
}
