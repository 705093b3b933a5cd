using System.Reflection;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>The failure codes are stored on attempts and read by people and alerts: their text does not change, and
/// the README names each.</summary>
public sealed class FlagCodesTests
{
    [Theory]
    [InlineData(nameof(FlagCodes.PendingTooLong), "pending_too_long")]
    [InlineData(nameof(FlagCodes.VoidRefused), "void_refused")]
    [InlineData(nameof(FlagCodes.PendingOnPaidSession), "pending_on_paid_session")]
    [InlineData(nameof(FlagCodes.DuplicatePayment), "duplicate_payment")]
    [InlineData(nameof(FlagCodes.PaidAfterAbandoned), "paid_after_abandoned")]
    [InlineData(nameof(FlagCodes.ProviderLookupRefused), "provider_lookup_refused")]
    [InlineData(nameof(FlagCodes.ProviderRemoved), "provider_removed")]
    [InlineData(nameof(FlagCodes.NeverCreated), "never_created")]
    [InlineData(nameof(FlagCodes.PaymentMismatch), "payment_mismatch")]
    [InlineData(nameof(FlagCodes.RefundByHand), "refund_by_hand")]
    [InlineData(nameof(FlagCodes.RefundRefused), "refund_refused")]
    [InlineData(nameof(FlagCodes.CaptureFailed), "capture_failed")]
    [InlineData(nameof(FlagCodes.PaymentDeclined), "payment_declined")]
    [InlineData(nameof(FlagCodes.PaymentCanceled), "payment_canceled")]
    [InlineData(nameof(FlagCodes.ConfirmationOverdue), "confirmation_overdue")]
    [InlineData(nameof(FlagCodes.ReconcileNoAnswer), "reconcile_no_answer")]
    [InlineData(nameof(FlagCodes.ReconcileGaveUp), "reconcile_gave_up")]
    public void Each_code_keeps_its_stored_text_and_the_README_names_it(string name, string text)
    {
        Assert.Equal(text, Codes()[name]);
        Assert.Contains($"`{text}`", File.ReadAllText(RepoPaths.Combine("README.md")));
    }

    [Fact]
    public void The_table_above_has_every_code()
    {
        Assert.Equal(17, Codes().Count);
        Assert.Equal(Codes().Count, Codes().Values.Distinct().Count());
    }

    private static Dictionary<string, string> Codes() =>
        typeof(FlagCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
}
