namespace SnipcartGateway.Domain;

/// <summary>
/// The check every provider answer goes through before Snipcart hears of it: a payment counts as paid only
/// when the provider says so for the amount, currency and reference we asked for.
/// </summary>
public static class PaymentVerification
{
    public const string MismatchCode = "payment_mismatch";

    /// <summary>
    /// Null when the provider's view agrees with the attempt; otherwise why it does not. Fails closed: a provider that
    /// says its lookups carry the amount (or our reference) and leaves it out has not verified anything.
    /// </summary>
    public static string? FindMismatch(PaymentAttempt attempt, Money? providerAmount, string? providerReference, bool echoesAmount = true, bool echoesReference = true)
    {
        if (providerAmount is null && echoesAmount)
        {
            return "The provider did not say what was paid.";
        }
        if (providerReference is null && echoesReference)
        {
            return "The provider did not say which payment this is.";
        }
        if (providerAmount is { } paid && !paid.SameAs(attempt.Amount))
        {
            return $"The provider reports {paid}, the order is {attempt.Amount}.";
        }
        if (providerReference is not null && !string.Equals(providerReference, attempt.PaymentRef, StringComparison.Ordinal))
        {
            return $"The provider's reference '{providerReference}' is not this payment's.";
        }
        return null;
    }
}
