namespace SnipcartGateway.ProviderCheck;

public enum CheckOutcome
{
    Confirmed,
    Contradicted,
    NotTried,
}

/// <param name="Id">Stable name (<c>provider.what</c>), the one the provider's page under docs/providers/ cites.</param>
/// <param name="Inference">What the gateway assumes, in a sentence.</param>
/// <param name="Evidence">What the provider answered (secrets removed), or why the check was not tried.</param>
public sealed record CheckResult(string Id, string Inference, CheckOutcome Outcome, string Evidence);
