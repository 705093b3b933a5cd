using System.Net;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.Snapplify;

/// <summary>
/// The gateway's adapter for Snapplify Pay (South Africa), a redirect provider: <c>POST /payment/request</c> gives a
/// token and the hosted <c>/payment/submit</c> page; the shopper comes back with <c>client</c>, <c>token</c>,
/// <c>success</c> and <c>referenceCode</c>; nothing of that is trusted, <c>POST /payment/validate</c> says what
/// happened. IPNs are authenticated by posting them back to <c>/payment/ipn/validate</c>. There is no refund or
/// cancel API. Where Snapplify's docs are silent this follows its own WooCommerce plugin (docs/providers/snapplify.md).
/// </summary>
public sealed class SnapplifyProvider(SnapplifyApi api, IOptionsMonitor<SnapplifyOptions> options) : IPaymentProvider
{
    public const string ProviderId = "snapplify";

    /// <summary>Provider data: the token /payment/request gave (also the provider payment id).</summary>
    public const string TokenKey = "token";
    /// <summary>Provider data: the authorisation code of a validate answer or IPN that named our payment; the
    /// token later lookups validate with.</summary>
    public const string AuthorisationCodeKey = "authorisationCode";

    private const int MaxKeptAnswerLength = 4_000;

    public string Id => ProviderId;

    public string DisplayName => "Snapplify Pay";

    /// <summary>A wordmark under the checkout page's files: the methods list shows it instead of the name.</summary>
    public string? IconPath => "/checkout/icons/providers/" + ProviderId + ".svg";

    /// <summary>No refund or cancel API is documented (refunds are made in Snapplify's dashboard). Validate echoes
    /// amount, currency and our referenceCode.</summary>
    public ProviderCapabilities Capabilities { get; } = new(Refunds: false, PartialRefunds: false, EchoesAmount: true, EchoesReference: true);

    /// <summary>Snapplify gives an IPN 15 s and then sends it again: the handler answers within this budget.</summary>
    public TimeSpan? NotificationAnswerBudget => options.CurrentValue.IpnAnswerBudget;

    public bool Supports(PaymentMode mode, string currency, string? billingCountry) =>
        options.CurrentValue.Supports(mode, currency, billingCountry);

    public async Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default)
    {
        var amount = SnapplifyAmount.ToWire(request.Amount.Amount)
            ?? throw new SnapplifyException($"Snapplify Pay takes amounts with two decimals; {request.Amount} has more.")
            {
                ShopperMessage = $"{DisplayName} cannot take an amount of {request.Amount}.",
            };
        var country = request.Invoice.BillingAddress?.Country?.Trim().ToUpperInvariant();
        var body = new SnapplifyPaymentRequest(
            ReferenceCode: request.PaymentRef,
            Amount: amount,
            Currency: request.Amount.Currency,
            Country: string.IsNullOrEmpty(country) ? null : country,
            Description: request.Description,
            RedirectUrl: request.ReturnUrl.AbsoluteUri,
            // Declined or paid, the shopper comes back to the same place: validate says which.
            DeclinedUrl: request.ReturnUrl.AbsoluteUri,
            NotificationUrl: request.NotificationUrl.AbsoluteUri);

        var answer = await api.RequestPaymentAsync(request.Mode, body, cancellationToken);
        if (!Uri.TryCreate(answer.RedirectUrl, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("https" or "http"))
        {
            throw new SnapplifyException("Snapplify Pay answered /payment/request without a usable redirectUrl.");
        }
        var token = string.IsNullOrWhiteSpace(answer.Token) ? null : answer.Token.Trim();
        return new ProviderPaymentCreated
        {
            // The token names the payment at Snapplify; without one our referenceCode is the only name it has.
            ProviderPaymentId = token ?? request.PaymentRef,
            RedirectUrl = redirect,
            ProviderData = token is null ? null : new Dictionary<string, string> { [TokenKey] = token },
        };
    }

    /// <summary>
    /// Asks <c>/payment/validate</c>, but only when <see cref="SnapplifyValidateRule"/> says so (a token from the
    /// shopper's return or a verified IPN, once each, or the final check at expiry); otherwise answers from the last
    /// validate answer kept on the attempt, or "awaiting the shopper" when there is none yet. For a shopper's return,
    /// only when the return names our referenceCode; the answer must name our referenceCode and (for a paid payment)
    /// have the return's token as its authorisationCode, or the return is rejected (forged or stale: nothing changes).
    /// </summary>
    public async Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default)
    {
        var returned = SnapplifyReturn.From(lookup.ReturnParameters);
        if (returned is not null && !string.Equals(returned.ReferenceCode, lookup.PaymentRef, StringComparison.Ordinal))
        {
            throw Rejected("the return names another referenceCode");
        }
        var returnToken = returned is null ? null : returned.Token ?? throw Rejected("the return carries no token");
        var decision = SnapplifyValidateRule.Decide(lookup, returnToken, RequestToken(lookup));
        if (decision.Action == SnapplifyValidateAction.NotYet)
        {
            return NotValidatedYet(lookup);
        }

        SnapplifyPayment payment;
        string raw;
        // A token Snapplify gave us server-to-server (at request time, or in a validated answer or verified IPN) cannot
        // be forged by a browser: what validate says about it is Snapplify's word, not the return's.
        var vouched = returnToken is null || decision.Token != returnToken || KnownTokens(lookup).Contains(returnToken);
        if (decision.Action == SnapplifyValidateAction.FromKept)
        {
            raw = lookup.ProviderData[SnapplifyValidateRule.KeptAnswerKey];
            payment = SnapplifyJson.TryParse<SnapplifyPaymentEnvelope>(raw)?.Payment
                ?? throw new SnapplifyException("The validate answer kept on the attempt is unreadable.");
        }
        else
        {
            try
            {
                (payment, raw) = await api.ValidateAsync(lookup.Mode, decision.Token!, cancellationToken);
            }
            catch (SnapplifyException ex) when (!vouched && ex.Error is not null
                && ex.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest or HttpStatusCode.NotFound)
            {
                // Snapplify refused a token only the browser vouches for: not a payment of ours it knows. A refusal of our
                // credentials (401/403) or a failure is not the return's fault and stays a provider error.
                throw Rejected($"Snapplify refused the return's token ({ex.ErrorCode})");
            }
        }

        var state = SnapplifyPaymentStates.Parse(payment.PaymentState);
        var status = state.ToPaymentStatus();
        var ours = string.Equals(payment.ReferenceCode, lookup.PaymentRef, StringComparison.Ordinal);
        if (returnToken is not null)
        {
            if (!ours && !vouched)
            {
                // Another payment's token: say nothing about ours. (With our own token, the answer is reported as it
                // is, and the core flags the mismatch.)
                throw Rejected("the return's token names another payment");
            }
            var authorised = string.Equals(payment.AuthorisationCode, returnToken, StringComparison.Ordinal);
            // A declined payment may have no authorisation code; a paid one must carry the return's token.
            if (!authorised && (payment.AuthorisationCode is not null || status == PaymentStatus.Paid))
            {
                throw Rejected("the return's token is not the payment's authorisationCode");
            }
        }

        // "validated": false is Snapplify saying it did not validate this payment: a paid word in it proves nothing.
        // Without amount and reference the core never confirms it and flags the attempt (payment_mismatch).
        var unvalidatedPaid = status == PaymentStatus.Paid && payment.Validated == false;
        (string? failureCode, string? failureMessage) = status is PaymentStatus.Failed
            ? (payment.ErrorCode ?? "snapplify_" + (payment.PaymentState ?? "error").ToLowerInvariant(), payment.ErrorMessage ?? "Snapplify Pay declined the payment.")
            : (null, null);
        if (returned is not null && returned.SaysNotCompleted && status == PaymentStatus.AwaitingShopper)
        {
            // The seed: a failed or cancelled return shows the shopper an error and lets them start again. Snapplify
            // still says NEW (nothing charged), so the attempt fails now instead of waiting a day for its expiry; a
            // payment Snapplify completes later anyway is late money the core records and flags.
            status = PaymentStatus.Failed;
            failureCode = ShortCode(returned.ErrorCode) ?? "snapplify_not_completed";
            failureMessage = "The payment was not completed at Snapplify Pay.";
        }
        var data = KeptData(payment, raw, ours);
        if (decision.Mark is { } mark)
        {
            data[mark.Key] = mark.Value;
        }
        if (unvalidatedPaid)
        {
            data["validated"] = "false";
        }
        return new ProviderPayment
        {
            ProviderPaymentId = lookup.ProviderPaymentId,
            Status = status,
            ProviderStatus = payment.PaymentState ?? "",
            Amount = !unvalidatedPaid && payment.Amount is { } paid && CurrencyCodes.IsValid(payment.Currency) ? new Money(paid, payment.Currency!) : null,
            Reference = unvalidatedPaid ? null : payment.ReferenceCode,
            TransactionId = string.IsNullOrWhiteSpace(payment.TransactionId) ? lookup.ProviderPaymentId : payment.TransactionId,
            FailureCode = failureCode,
            FailureMessage = failureMessage,
            ProviderData = data,
        };
    }

    /// <summary>The return's errorCode when it looks like a code (it comes from the browser: never free text).</summary>
    private static string? ShortCode(string? code) =>
        code is { Length: > 0 and <= 40 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') ? code : null;

    /// <summary>No token from Snapplify yet: the shopper has not come back and no IPN arrived, so the payment is taken
    /// as Snapplify's NEW ("has not been charged") without asking.</summary>
    private static ProviderPayment NotValidatedYet(ProviderPaymentLookup lookup) => new()
    {
        ProviderPaymentId = lookup.ProviderPaymentId,
        Status = PaymentStatus.AwaitingShopper,
        ProviderStatus = "NOT_VALIDATED_YET",
    };

    public Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default) =>
        throw new SnapplifyException("Snapplify Pay has no refund API: refunds are made in Snapplify's dashboard.");

    /// <summary>
    /// An IPN is authentic only when Snapplify answers <c>VERIFIED</c> to the same body posted to
    /// <c>/payment/ipn/validate</c>, with the credentials of the mode the URL names (or each configured mode). Its
    /// claims are then only used to find the payment; the finisher validates it server-to-server.
    /// </summary>
    public async Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default)
    {
        var payment = SnapplifyJson.TryParse<SnapplifyPaymentEnvelope>(notification.Body)?.Payment;
        if (payment is null || string.IsNullOrWhiteSpace(payment.ReferenceCode))
        {
            throw new ProviderNotificationRejectedException(ProviderId, "Snapplify Pay IPN rejected: not a payment notification.");
        }
        var settings = options.CurrentValue;
        // Credentials, not Enabled: a provider switched off for new payments still hears about the ones in flight.
        var modes = (notification.Mode is { } named ? [named] : new[] { PaymentMode.Test, PaymentMode.Live }).Where(m => settings.For(m).IsConfigured).ToList();
        PaymentMode? verified = null;
        foreach (var mode in modes)
        {
            if (await api.ValidateIpnAsync(mode, notification.Body, cancellationToken))
            {
                verified = mode;
                break;
            }
        }
        if (verified is null)
        {
            throw new ProviderNotificationRejectedException(ProviderId,
                modes.Count == 0 ? "Snapplify Pay IPN rejected: no configured mode to verify it with." : "Snapplify Pay IPN rejected: /payment/ipn/validate did not answer VERIFIED.");
        }

        var state = SnapplifyPaymentStates.Parse(payment.PaymentState);
        // The IPN is verified: its token (and the event itself) is a reason to validate once more (SnapplifyValidateRule).
        var data = new Dictionary<string, string>
        {
            [SnapplifyValidateRule.IpnEventKey] = $"{payment.PaymentState}|{payment.AuthorisationCode}|{payment.UpdatedDate}",
        };
        if (!string.IsNullOrWhiteSpace(payment.AuthorisationCode))
        {
            data[AuthorisationCodeKey] = payment.AuthorisationCode;
            data[SnapplifyValidateRule.IpnTokenKey] = payment.AuthorisationCode;
        }
        if (payment.PaymentState is { Length: > 0 } word)
        {
            data["ipnPaymentState"] = word;
        }
        return new ProviderNotification
        {
            PaymentRef = payment.ReferenceCode,
            ProviderPaymentId = payment.AuthorisationCode,
            Mode = verified,
            ProviderData = data,
            Attention = state.IsCheckoutState() ? null : AttentionFor(payment.PaymentState),
        };
    }

    /// <summary>What to validate with when no return or IPN token is at hand (the final check): the authorisation code
    /// an earlier answer named, else the token /payment/request gave (Snapplify's authorisation code, by its plugin's check).</summary>
    private static string RequestToken(ProviderPaymentLookup lookup) =>
        lookup.ProviderData.TryGetValue(AuthorisationCodeKey, out var code) && !string.IsNullOrWhiteSpace(code) ? code
        : lookup.ProviderData.TryGetValue(TokenKey, out var token) && !string.IsNullOrWhiteSpace(token) ? token
        : lookup.ProviderPaymentId;

    /// <summary>Every token Snapplify itself gave us for this payment.</summary>
    private static HashSet<string> KnownTokens(ProviderPaymentLookup lookup)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        if (lookup.ProviderPaymentId != lookup.PaymentRef)
        {
            known.Add(lookup.ProviderPaymentId); // the token, unless Snapplify gave none and our reference stands in
        }
        foreach (var key in new[] { TokenKey, AuthorisationCodeKey })
        {
            if (lookup.ProviderData.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value))
            {
                known.Add(value);
            }
        }
        return known;
    }

    private static Dictionary<string, string> KeptData(SnapplifyPayment payment, string raw, bool ours)
    {
        var data = new Dictionary<string, string>
        {
            ["paymentState"] = payment.PaymentState ?? "",
            [SnapplifyValidateRule.KeptAnswerKey] = raw.Length > MaxKeptAnswerLength ? raw[..MaxKeptAnswerLength] : raw,
        };
        // Only an answer about our payment may say which token to validate with next time.
        if (ours && !string.IsNullOrWhiteSpace(payment.AuthorisationCode))
        {
            data[AuthorisationCodeKey] = payment.AuthorisationCode;
        }
        if (!string.IsNullOrWhiteSpace(payment.PaymentMethod))
        {
            data["paymentMethod"] = payment.PaymentMethod;
        }
        if (!string.IsNullOrWhiteSpace(payment.TransactionId))
        {
            data["transactionId"] = payment.TransactionId;
        }
        return data;
    }

    /// <summary>A short code for money Snapplify reports moving outside the checkout.</summary>
    private static string AttentionFor(string? state)
    {
        var word = (state ?? "").ToUpperInvariant();
        return word.Contains("CHARGEBACK", StringComparison.Ordinal) ? "chargeback"
            : word.Contains("REFUND", StringComparison.Ordinal) ? "refund"
            : word.Contains("CANCEL", StringComparison.Ordinal) ? "cancellation"
            : "snapplify_state_" + new string(word.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(32).ToArray());
    }

    private static ProviderReturnRejectedException Rejected(string why) =>
        new(ProviderId, "Snapplify Pay return rejected: " + why + ".");
}
