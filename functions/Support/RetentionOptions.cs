namespace SnipcartGateway.Support;

/// <summary>Section <c>Retention</c>: how long payments are kept.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Attempts, sessions and refunds older than this many days are deleted by the timer (Retention__Days).
    /// Nothing unsettled or needing attention is ever deleted.</summary>
    public int Days { get; set; } = 400;

    /// <summary>At most this many old payments are looked at per timer run (Retention__BatchSize).</summary>
    public int BatchSize { get; set; } = 100;
}
