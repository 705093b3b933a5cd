namespace SnipcartGateway.Providers.Snapplify;

/// <summary>What a lookup does about <c>/payment/validate</c>.</summary>
public enum SnapplifyValidateAction
{
    /// <summary>Call validate with <see cref="SnapplifyValidateDecision.Token"/>.</summary>
    Call,
    /// <summary>Answer from the last validate answer kept on the attempt: this token was validated already.</summary>
    FromKept,
    /// <summary>No token from Snapplify yet (the shopper is still on its page): do not call, the payment awaits the shopper.</summary>
    NotYet,
}

/// <param name="Token">The token to validate with (Call only).</param>
/// <param name="Mark">The provider-data key and value recorded once this call is answered, so the same token (for the
/// same event) is never validated twice.</param>
public sealed record SnapplifyValidateDecision(SnapplifyValidateAction Action, string? Token = null, KeyValuePair<string, string>? Mark = null);

/// <summary>
/// When the adapter may call <c>/payment/validate</c>. The seed describes one validate, after the shopper's return
/// ("Pay marks the payment as validated"); whether Snapplify accepts it again, or for a payment still NEW, is not
/// documented. So validate is called only with a token Snapplify gave us for a reason: the shopper's return, or a
/// verified IPN (each IPN event once), plus once at the final check when the checkout expires
/// (<see cref="ProviderPaymentLookup.FinalCheck"/>). Everything else answers from what the last validate said.
/// </summary>
public static class SnapplifyValidateRule
{
    /// <summary>Provider data: the IPN event a verified IPN brought (state, authorisation code, date).</summary>
    public const string IpnEventKey = "ipnEvent";
    /// <summary>Provider data: the authorisation code a verified IPN named.</summary>
    public const string IpnTokenKey = "ipnAuthorisationCode";
    /// <summary>Provider data: the IPN event whose validate was answered.</summary>
    public const string ValidatedIpnEventKey = "validatedIpnEvent";
    /// <summary>Provider data: the return token whose validate was answered.</summary>
    public const string ValidatedReturnTokenKey = "validatedReturnToken";
    /// <summary>Provider data: the last validate answer (raw), what later lookups answer from.</summary>
    public const string KeptAnswerKey = "validateAnswer";

    public static SnapplifyValidateDecision Decide(ProviderPaymentLookup lookup, string? returnToken, string requestToken)
    {
        var data = lookup.ProviderData;
        if (Value(data, IpnEventKey) is { } ipnEvent && Value(data, ValidatedIpnEventKey) != ipnEvent)
        {
            return new(SnapplifyValidateAction.Call, Value(data, IpnTokenKey) ?? requestToken, new(ValidatedIpnEventKey, ipnEvent));
        }
        if (returnToken is not null && Value(data, ValidatedReturnTokenKey) != returnToken)
        {
            return new(SnapplifyValidateAction.Call, returnToken, new(ValidatedReturnTokenKey, returnToken));
        }
        if (lookup.FinalCheck)
        {
            return new(SnapplifyValidateAction.Call, requestToken);
        }
        return Value(data, KeptAnswerKey) is null ? new(SnapplifyValidateAction.NotYet) : new(SnapplifyValidateAction.FromKept);
    }

    private static string? Value(IReadOnlyDictionary<string, string> data, string key) =>
        data.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
