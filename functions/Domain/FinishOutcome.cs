namespace SnipcartGateway.Domain;

/// <summary>How a pass over an attempt ended, for whoever set it off.</summary>
public enum FinishOutcome
{
    /// <summary>No such payment.</summary>
    NotFound,
    /// <summary>Snipcart has been told (now or earlier) what it needs to know for now.</summary>
    Confirmed,
    /// <summary>Nothing to tell Snipcart yet (the provider has no final word and nobody waits).</summary>
    Waiting,
    /// <summary>Another request is telling Snipcart right now.</summary>
    Busy,
    /// <summary>The provider or Snipcart could not be reached; reconciliation will try again.</summary>
    Unreachable,
    /// <summary>The shopper cancelled and nothing was paid.</summary>
    Canceled,
    /// <summary>Closed without telling Snipcart: the session was paid by another attempt, or it was given up.</summary>
    Closed,
}
