namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// What a 2xx answer to <c>POST /payment/capture</c> says about our capture. The modification entry with our
/// modificationId decides when SmartPay lists it (its own status word); otherwise the transaction's paymentStatus
/// does: CAPTURED/SETTLED taken, CAPTURE_FAILED refused, anything else (AUTHORIZATION_COMPLETED still, or
/// CAPTURE_PENDING) accepted and not yet done, which the next status check settles. A pure rule, tested as a table.
/// </summary>
public static class JpmSmartPayCaptureOutcome
{
    public static CaptureStatus Of(string? modificationStatus, string? paymentStatus)
    {
        if (!string.IsNullOrWhiteSpace(modificationStatus))
        {
            var word = modificationStatus.Trim().ToUpperInvariant();
            if (word.Contains("FAIL", StringComparison.Ordinal) || word.Contains("REJECT", StringComparison.Ordinal)
                || word.Contains("DECLIN", StringComparison.Ordinal) || word == "ERROR")
            {
                return CaptureStatus.Failed;
            }
            if (word.Contains("PENDING", StringComparison.Ordinal) || word.Contains("INITIALIZED", StringComparison.Ordinal))
            {
                return CaptureStatus.Pending;
            }
            // A word we do not know (SUCCESS, COMPLETED, ...) on our own entry of a 2xx answer: SmartPay took it.
            return CaptureStatus.Succeeded;
        }
        return JpmSmartPayStatuses.Parse(paymentStatus) switch
        {
            JpmSmartPayStatus.Captured or JpmSmartPayStatus.Settled => CaptureStatus.Succeeded,
            JpmSmartPayStatus.CaptureFailed => CaptureStatus.Failed,
            _ => CaptureStatus.Pending,
        };
    }
}
