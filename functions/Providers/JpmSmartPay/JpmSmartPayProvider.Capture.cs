using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.JpmSmartPay;

public sealed partial class JpmSmartPayProvider
{
    /// <summary>
    /// <c>POST {BaseUrl}/payment/capture</c> with <c>modificationId</c> = our capture id (at most 64 characters, the
    /// docs' limit) and <c>modifiedAmount</c> = the whole amount of Snipcart's session: capture exactly what the order
    /// says, never what the authorisation might allow. SmartPay answers a repeated modificationId with its first
    /// result. A refusal (4xx, e.g. the authorisation expired) is thrown as a rejection, unless the transaction turns
    /// out to be captured already (our capture replayed after SmartPay forgot the modificationId, or a capture made in
    /// SmartPay's console): then it is reported as done, never captured twice. No answer is thrown as such.
    /// </summary>
    public async Task<ProviderCapture> CaptureAsync(ProviderCaptureRequest request, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.CaptureRef) || request.CaptureRef.Length > MaxModificationIdLength)
        {
            throw new ArgumentException($"A SmartPay modificationId has 1 to {MaxModificationIdLength} characters.", nameof(request));
        }
        var transactionId = TransactionIdOf(request.ProviderPaymentId, request.ProviderData);
        var body = new JpmModificationBody
        {
            TransactionId = transactionId,
            MerchantKey = options.CurrentValue.For(request.Mode).MerchantKey ?? "",
            ModificationId = request.CaptureRef,
            ModifiedAmount = new JpmAmount(JpmJson.TwoDecimals(request.Amount.Amount), request.Amount.Currency.ToUpperInvariant()),
        };
        JpmTransaction answer;
        try
        {
            (answer, _) = await client.CaptureAsync(request.Mode, body, cancellationToken);
        }
        catch (JpmSmartPayException refused) when (refused.IsRejection)
        {
            if (await AlreadyCapturedAsync(request, transactionId, cancellationToken) is { } captured)
            {
                return captured;
            }
            throw;
        }
        var modification = answer.Modifications?.LastOrDefault(m => m.ModificationId == request.CaptureRef);
        var status = JpmSmartPayCaptureOutcome.Of(modification?.AnyStatus, answer.PaymentStatus);
        return new ProviderCapture
        {
            Status = status,
            ProviderCaptureId = request.CaptureRef,
            FailureMessage = status == CaptureStatus.Failed ? $"SmartPay did not capture ({modification?.AnyStatus ?? answer.PaymentStatus})." : null,
            ProviderData = CaptureData(answer.PaymentStatus),
        };
    }

    /// <summary>After a refused capture: the transaction's own status says whether the money was taken anyway. Null
    /// (the refusal stands) when it was not, or when the status could not be read.</summary>
    private async Task<ProviderCapture?> AlreadyCapturedAsync(ProviderCaptureRequest request, string transactionId, CancellationToken cancellationToken)
    {
        JpmTransaction status;
        try
        {
            (status, _) = await client.GetStatusAsync(request.Mode, transactionId, cancellationToken);
            EnsureAbout(transactionId, status);
        }
        catch (JpmSmartPayException)
        {
            return null;
        }
        var captured = JpmSmartPayStatuses.Parse(status.PaymentStatus) switch
        {
            JpmSmartPayStatus.Captured or JpmSmartPayStatus.Settled => CaptureStatus.Succeeded,
            JpmSmartPayStatus.CapturePending => CaptureStatus.Pending,
            _ => (CaptureStatus?)null,
        };
        return captured is { } outcome
            ? new ProviderCapture { Status = outcome, ProviderCaptureId = request.CaptureRef, ProviderData = CaptureData(status.PaymentStatus) }
            : null;
    }

    private static Dictionary<string, string> CaptureData(string? paymentStatus)
    {
        var data = new Dictionary<string, string>();
        AddIfSet(data, DataKeys.PaymentStatus, paymentStatus);
        return data;
    }

    /// <summary>modificationId: "max 64" (modification-apis).</summary>
    public const int MaxModificationIdLength = 64;
}
