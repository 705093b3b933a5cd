using System.Net;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// SmartPay by J.P. Morgan Mobility Payments Solutions: a widget provider. Create Checkout gives a transaction id and a
/// checkout token; the checkout page renders SmartPay's web SDK with the token; whatever the widget's callbacks say,
/// only Get Payment Status (server to server) decides. Refunds and cancellations are modifications keyed by our own
/// modificationId, so a retried one acts once.
/// </summary>
public sealed partial class JpmSmartPayProvider(JpmSmartPayClient client, IOptionsMonitor<JpmSmartPayOptions> options) : IPaymentProvider
{
    public const string ProviderId = "jpmsmartpay";
    public const string WidgetKind = "jpmsmartpay";

    /// <summary>The docs ask for three status checks within three minutes of a pending answer, then an error log
    /// (which the core writes when the checks are used up).</summary>
    public static readonly ProviderRhythm PendingRhythm = new(null, [TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)]);

    public string Id => ProviderId;

    public string DisplayName => "SmartPay by J.P. Morgan";

    /// <summary>A wordmark under the checkout page's files: the methods list shows it instead of the name.</summary>
    public string? IconPath => "/checkout/icons/providers/" + ProviderId + ".svg";

    /// <summary>The status answer carries amount and currency, but our partnerReference is not among its documented
    /// fields: the transaction id is checked here instead (an answer about another transaction is refused).</summary>
    public ProviderCapabilities Capabilities { get; } = new(Refunds: true, PartialRefunds: true, EchoesAmount: true, EchoesReference: false, Cancel: true, RefundLookup: true, Capture: true);

    public ProviderRhythm Rhythm => PendingRhythm;

    public IReadOnlyCollection<string> WidgetOrigins
    {
        get
        {
            var settings = options.CurrentValue;
            // The script's and the stylesheet's origins, and whatever else SmartPay told the merchant its SDK needs.
            return new[] { PaymentMode.Test, PaymentMode.Live }
                .Where(settings.Offers)
                .Select(settings.For)
                .SelectMany(mode => new[] { mode.WidgetScriptUri, mode.StylesheetUri }.Concat(mode.ExtraWidgetOrigins))
                .OfType<Uri>()
                .Select(ProviderWidget.OriginOf)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
    }

    public bool Supports(PaymentMode mode, string currency, string? billingCountry) =>
        options.CurrentValue.Supports(mode, currency, billingCountry);

    public async Task<ProviderPaymentCreated> CreatePaymentAsync(ProviderPaymentRequest request, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue.For(request.Mode);
        var body = JpmSmartPayCheckoutBodyBuilder.Build(request, settings.MerchantKey ?? "");
        var (created, _) = await client.CreateCheckoutAsync(request.Mode, body, cancellationToken);
        if (string.IsNullOrWhiteSpace(created.TransactionId) || string.IsNullOrWhiteSpace(created.CheckoutToken))
        {
            throw new JpmSmartPayException("SmartPay created a checkout without a transactionId or checkoutToken.");
        }
        var scriptUrl = settings.WidgetScriptUri
            ?? throw new InvalidOperationException($"Providers__JpmSmartPay__{request.Mode}__WidgetScriptUrl is not set.");
        var data = new Dictionary<string, string>
        {
            [DataKeys.TransactionId] = created.TransactionId,
            [DataKeys.CheckoutToken] = created.CheckoutToken,
        };
        AddIfSet(data, DataKeys.PaymentStatus, created.PaymentStatus);
        AddIfSet(data, DataKeys.RequestTime, created.RequestTime);
        return new ProviderPaymentCreated
        {
            ProviderPaymentId = created.TransactionId,
            Widget = new ProviderWidget(WidgetKind, scriptUrl, WidgetValues(created, settings)),
            ProviderData = data,
        };
    }

    /// <summary>What the page's renderer needs: the token, the transaction, and the stylesheet it loads before render.</summary>
    private static Dictionary<string, string> WidgetValues(JpmCheckoutCreated created, JpmSmartPayModeOptions settings)
    {
        var values = new Dictionary<string, string>
        {
            ["checkoutToken"] = created.CheckoutToken!,
            ["transactionId"] = created.TransactionId!,
        };
        if (settings.StylesheetUri is { } stylesheet)
        {
            values["stylesheetUrl"] = stylesheet.AbsoluteUri;
        }
        return values;
    }

    public async Task<ProviderPayment> GetPaymentAsync(ProviderPaymentLookup lookup, CancellationToken cancellationToken = default)
    {
        var transactionId = TransactionIdOf(lookup.ProviderPaymentId, lookup.ProviderData);
        var (answer, raw) = await client.GetStatusAsync(lookup.Mode, transactionId, cancellationToken);
        EnsureAbout(transactionId, answer);

        var status = JpmSmartPayStatuses.Parse(answer.PaymentStatus);
        var overview = answer.TransactionOverview;
        var data = new Dictionary<string, string> { [DataKeys.TransactionId] = transactionId, [DataKeys.StatusAnswer] = raw };
        AddIfSet(data, DataKeys.ReconciliationReferenceId, answer.ReconciliationReferenceId);
        AddIfSet(data, DataKeys.PaymentStatus, answer.PaymentStatus);
        AddIfSet(data, DataKeys.CreationDate, answer.CreationDate);
        AddIfSet(data, DataKeys.LastStatusDate, answer.LastStatusDate);
        AddIfSet(data, DataKeys.PaymentMethod, overview?.PaymentMethod);
        var failureCode = status.FailureCode();
        return new ProviderPayment
        {
            ProviderPaymentId = transactionId,
            Status = status.ToPaymentStatus(),
            ProviderStatus = answer.PaymentStatus ?? "",
            Amount = overview?.Amount is { } amount && CurrencyCodes.IsValid(overview.CurrencyCode) ? new Money(amount, overview.CurrencyCode!) : null,
            Reference = answer.PartnerReference ?? overview?.PartnerReference,
            TransactionId = transactionId,
            FailureCode = failureCode,
            FailureMessage = failureCode is null ? null : "The payment was not completed.",
            RefundedAmount = RefundedAmount(answer),
            ProviderData = data,
        };
    }

    public async Task<ProviderRefund> RefundAsync(ProviderRefundRequest request, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue.For(request.Mode);
        var body = new JpmModificationBody
        {
            TransactionId = TransactionIdOf(request.ProviderPaymentId, request.ProviderData),
            MerchantKey = settings.MerchantKey ?? "",
            ModificationId = request.RefundRef,
            ModifiedAmount = new JpmAmount(JpmJson.TwoDecimals(request.Amount.Amount), request.Amount.Currency),
        };
        var (answer, _) = await client.RefundAsync(request.Mode, body, cancellationToken);
        // The answer must name our modification: a 2xx about something else says nothing about this refund. No
        // status code = "no answer" to the core, which keeps the amount reserved and asks again under the same
        // modificationId (SmartPay answers a repeated one with its first result), so it can never refund twice.
        var modification = answer.Modifications?.LastOrDefault(m => m.ModificationId == request.RefundRef)
            ?? throw new JpmSmartPayException($"SmartPay answered the refund without a modification {request.RefundRef}: outcome unknown.");
        var state = ModificationState(modification.AnyStatus);
        return new ProviderRefund
        {
            ProviderRefundId = request.RefundRef,
            Status = state,
            FailureMessage = state == RefundStatus.Failed ? $"SmartPay did not refund ({modification.AnyStatus})." : null,
        };
    }

    /// <summary>SmartPay has no refund lookup of its own: Get Payment Status lists the transaction's modifications, and
    /// ours is the one carrying our modificationId (the refund ref). Absent from the list: not known there (yet), so
    /// still pending; the core keeps asking, and flags it after its cap.</summary>
    public async Task<ProviderRefund> GetRefundAsync(ProviderRefundLookup lookup, CancellationToken cancellationToken = default)
    {
        var transactionId = TransactionIdOf(lookup.ProviderPaymentId, lookup.ProviderData);
        var (answer, _) = await client.GetStatusAsync(lookup.Mode, transactionId, cancellationToken);
        EnsureAbout(transactionId, answer);
        var modification = answer.Modifications?.LastOrDefault(m => m.ModificationId == lookup.RefundRef);
        var state = modification is null ? RefundStatus.Pending : ModificationState(modification.AnyStatus);
        return new ProviderRefund
        {
            ProviderRefundId = lookup.RefundRef,
            Status = state,
            FailureMessage = state == RefundStatus.Failed ? $"SmartPay did not refund ({modification?.AnyStatus})." : null,
        };
    }

    /// <summary>
    /// cancelOrRefund would refund a paid transaction, which the port forbids: the status is asked first, and only a
    /// checkout nobody has started paying in (CREATED), or an authorisation not captured (AUTHORIZATION_COMPLETED: the
    /// void after a refused capture), is cancelled. Paid or pending
    /// money is refused with an exception (the next lookup says what it is); an already failed or cancelled one has
    /// nothing left to cancel.
    /// </summary>
    public async Task<ProviderCancellation> CancelPaymentAsync(ProviderCancelRequest request, CancellationToken cancellationToken = default)
    {
        var transactionId = TransactionIdOf(request.ProviderPaymentId, request.ProviderData);
        var (answer, _) = await client.GetStatusAsync(request.Mode, transactionId, cancellationToken);
        EnsureAbout(transactionId, answer);
        var status = JpmSmartPayStatuses.Parse(answer.PaymentStatus);
        switch (status.ToPaymentStatus())
        {
            case PaymentStatus.Failed or PaymentStatus.Canceled:
                return new ProviderCancellation { Canceled = false, ProviderData = new Dictionary<string, string> { [DataKeys.PaymentStatus] = answer.PaymentStatus ?? "" } };
            // Refusals as the port wants them (a 4xx): the core looks again at once and finds it paid or pending.
            case PaymentStatus.Paid:
                throw new JpmSmartPayException($"SmartPay transaction is {answer.PaymentStatus}: paid, not cancelled.", HttpStatusCode.Conflict, new JpmSmartPayError("paid", null));
            // AUTORIZATION_INITIALIZED included: the shopper has submitted the payment (the core maps it to pending
            // money, never closed); cancelOrRefund now could void or refund a payment that completes meanwhile.
            case PaymentStatus.Pending:
                throw new JpmSmartPayException($"SmartPay transaction is {answer.PaymentStatus}: money is on its way, not cancelled.", HttpStatusCode.Conflict, new JpmSmartPayError("pending", null));
        }
        var settings = options.CurrentValue.For(request.Mode);
        JpmTransaction cancelled;
        try
        {
            (cancelled, _) = await client.CancelOrRefundAsync(request.Mode, new JpmModificationBody
            {
                TransactionId = transactionId,
                MerchantKey = settings.MerchantKey ?? "",
                // One cancellation per payment: a retried cancel is the same modification.
                ModificationId = "cancel-" + request.PaymentRef,
                Description = status == JpmSmartPayStatus.AuthorizationCompleted ? "Authorisation not captured: voided" : "Checkout expired or cancelled by the shopper",
            }, cancellationToken);
        }
        catch (JpmSmartPayException ex) when (ex.IsRejection)
        {
            return await AfterRefusedCancelAsync(request.Mode, transactionId, ex, cancellationToken);
        }
        var data = new Dictionary<string, string>();
        AddIfSet(data, DataKeys.PaymentStatus, cancelled.PaymentStatus);
        return new ProviderCancellation { Canceled = true, ProviderData = data };
    }

    /// <summary>
    /// Whether SmartPay lets a merchant cancel a checkout nobody has paid in (CREATED) is not documented. If it refuses,
    /// the checkout simply expires at SmartPay: nothing is left to void, so this reports "nothing to cancel" and the core,
    /// looking again, sees the checkout still awaiting the shopper past its expiry and closes it quietly; otherwise
    /// every abandoned checkout would be flagged void_refused for the merchant. Any other state after a refusal (paid,
    /// in flight, unknown) keeps the refusal, so the core flags it and the next lookup decides.
    /// </summary>
    private async Task<ProviderCancellation> AfterRefusedCancelAsync(PaymentMode mode, string transactionId, JpmSmartPayException refusal, CancellationToken cancellationToken)
    {
        var (answer, _) = await client.GetStatusAsync(mode, transactionId, cancellationToken);
        EnsureAbout(transactionId, answer);
        if (JpmSmartPayStatuses.Parse(answer.PaymentStatus).ToPaymentStatus() != PaymentStatus.AwaitingShopper)
        {
            throw refusal;
        }
        return new ProviderCancellation
        {
            Canceled = false,
            ProviderData = new Dictionary<string, string> { [DataKeys.PaymentStatus] = answer.PaymentStatus ?? "", [DataKeys.CancelRefused] = refusal.ErrorCode ?? "refused" },
        };
    }

    public Task<ProviderNotification> ParseNotificationAsync(ProviderNotificationRequest notification, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        JpmSmartPayNotificationVerifier.Verify(notification.Headers, settings.Notifications);
        var body = JpmJson.TryParse<NotificationBody>(notification.Body);
        if (body is null || string.IsNullOrWhiteSpace(body.ObjectId))
        {
            throw new ProviderNotificationRejectedException(ProviderId, "SmartPay notification has no objectId.");
        }
        // The same Basic credentials serve both modes, so they do not tell the mode: the URL's ?mode= does (we gave it
        // to SmartPay), else the body's merchantKey when it is one mode's key.
        var mode = notification.Mode ?? ModeOfMerchantKey(settings, body.MerchantKey);
        // objectId is the transactionId for payments, a refund id for refunds (ours are seen in the refund's answer).
        var aboutPayment = body.ObjectType is null || string.Equals(body.ObjectType, "payment", StringComparison.OrdinalIgnoreCase);
        return Task.FromResult(new ProviderNotification
        {
            ProviderPaymentId = body.ObjectId,
            Mode = mode,
            Relevant = aboutPayment,
        });
    }

    private static PaymentMode? ModeOfMerchantKey(JpmSmartPayOptions settings, string? merchantKey)
    {
        if (string.IsNullOrEmpty(merchantKey))
        {
            return null;
        }
        var matches = new[] { PaymentMode.Test, PaymentMode.Live }.Where(m => settings.For(m).MerchantKey == merchantKey).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>An answer that names another transaction than the one asked about, or none at all
    /// (<c>transactionOverview.transactionId</c> is documented), is no answer about ours: the transactionId is checked
    /// as amount and currency are, and an unchecked one is never taken as paid (nor failed; it is asked again).</summary>
    private static void EnsureAbout(string transactionId, JpmTransaction answer)
    {
        var answered = answer.TransactionId ?? answer.TransactionOverview?.TransactionId;
        if (string.IsNullOrWhiteSpace(answered))
        {
            throw new JpmSmartPayException($"SmartPay answered the status of {transactionId} without naming the transaction.");
        }
        if (!string.Equals(answered, transactionId, StringComparison.OrdinalIgnoreCase))
        {
            throw new JpmSmartPayException($"SmartPay answered the status of transaction {answered} when asked about {transactionId}.");
        }
    }

    private static string TransactionIdOf(string providerPaymentId, IReadOnlyDictionary<string, string> data) =>
        data.TryGetValue(DataKeys.TransactionId, out var id) && !string.IsNullOrWhiteSpace(id) ? id : providerPaymentId;

    /// <summary>Refunds SmartPay reports in the answer's modifications (type REFUND, not failed); null when it
    /// reports none, as the modification fields beyond <c>modificationData.type</c> are not documented.</summary>
    private static Money? RefundedAmount(JpmTransaction answer)
    {
        var currency = answer.TransactionOverview?.CurrencyCode;
        var refunds = (answer.Modifications ?? [])
            .Where(m => string.Equals(m.ModificationData?.Type, "REFUND", StringComparison.OrdinalIgnoreCase)
                && m.ModificationData?.Amount is not null
                && ModificationState(m.AnyStatus) == RefundStatus.Succeeded)
            .ToList();
        if (refunds.Count == 0 || !CurrencyCodes.IsValid(currency))
        {
            return null;
        }
        return new Money(refunds.Sum(m => m.ModificationData!.Amount!.Value), currency!);
    }

    /// <summary>A modification's own status: failures and pending words by their names; a 2xx answer without a
    /// word we know (or without the entry) is SmartPay accepting the modification synchronously.</summary>
    private static RefundStatus ModificationState(string? status)
    {
        var word = status?.Trim().ToUpperInvariant() ?? "";
        if (word.Contains("FAIL", StringComparison.Ordinal) || word.Contains("REJECT", StringComparison.Ordinal)
            || word.Contains("DECLIN", StringComparison.Ordinal) || word == "ERROR")
        {
            return RefundStatus.Failed;
        }
        return word.Contains("PENDING", StringComparison.Ordinal) || word.Contains("INITIALIZED", StringComparison.Ordinal)
            ? RefundStatus.Pending
            : RefundStatus.Succeeded;
    }

    private static void AddIfSet(Dictionary<string, string> data, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            data[key] = value;
        }
    }

    /// <summary>The keys this provider keeps in the attempt's provider data (what SmartPay's support asks for).</summary>
    public static class DataKeys
    {
        public const string TransactionId = "transactionId";
        public const string CheckoutToken = "checkoutToken";
        public const string PaymentStatus = "paymentStatus";
        public const string RequestTime = "requestTime";
        public const string ReconciliationReferenceId = "reconciliationReferenceId";
        public const string CreationDate = "creationDate";
        public const string LastStatusDate = "lastStatusDate";
        public const string PaymentMethod = "paymentMethod";
        public const string StatusAnswer = "statusAnswer";
        /// <summary>SmartPay refused to cancel a CREATED checkout (its code): it was left to expire there.</summary>
        public const string CancelRefused = "cancelRefused";
    }

    private sealed record NotificationBody(string? Id, string? MerchantKey, string? EventType, string? ObjectId, string? ObjectType, string? Origin);
}
