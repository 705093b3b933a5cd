namespace SnipcartGateway.Payments;

/// <summary>What one follow-up run did with the open refunds.</summary>
public sealed record RefundFollowUpReport(int Open, int Finished, int StillOpen, int ByHand, int Flagged)
{
    public string ToLogLine() =>
        $"Refund follow-up examined {Open} open refund(s): {Finished} finished, {StillOpen} still open, {ByHand} waiting to be made by hand, {Flagged} flagged.";
}
