using Azure.Data.Tables;
using SnipcartGateway.Domain;
using SnipcartGateway.Storage.Payments;

namespace SnipcartGateway.Storage.Support;

/// <summary>Reads a session record without creating it (the payment store's GetOrAdd would write one).</summary>
public sealed class SessionReader(PaymentTables tables)
{
    public async Task<PaymentSessionRecord?> FindAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!StorageKeys.Fits(sessionId))
        {
            return null;
        }
        await tables.EnsureCreatedAsync(cancellationToken);
        var response = await tables.Sessions.GetEntityIfExistsAsync<TableEntity>(StorageKeys.ForExternalId(sessionId), "session", cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } e)
        {
            return null;
        }
        return new PaymentSessionRecord
        {
            SessionId = sessionId,
            ProcessedPaymentRef = e.GetString("ProcessedPaymentRef"),
            ConfirmingPaymentRef = e.GetString("ConfirmingPaymentRef"),
            ConfirmingUntil = e.GetDateTimeOffset("ConfirmingUntil"),
        };
    }
}
