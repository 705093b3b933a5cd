using SnipcartGateway.Domain;
using SnipcartGateway.Providers.JpmSmartPay;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

/// <summary>SmartPay's status words as a table: what each one means for the payment and what failure it names.</summary>
public sealed class JpmSmartPayStatusTests
{
    [Theory]
    [InlineData("CREATED", JpmSmartPayStatus.Created, PaymentStatus.AwaitingShopper, null)]
    [InlineData("AUTORIZATION_INITIALIZED", JpmSmartPayStatus.AuthorizationInitialized, PaymentStatus.Pending, null)]
    [InlineData("AUTHORIZATION_INITIALIZED", JpmSmartPayStatus.AuthorizationInitialized, PaymentStatus.Pending, null)]
    [InlineData("AUTHORIZATION_PENDING", JpmSmartPayStatus.AuthorizationPending, PaymentStatus.Pending, null)]
    [InlineData("AUTHORIZATION_COMPLETED", JpmSmartPayStatus.AuthorizationCompleted, PaymentStatus.Authorized, null)]
    [InlineData("CAPTURE_PENDING", JpmSmartPayStatus.CapturePending, PaymentStatus.Pending, null)]
    [InlineData("CAPTURED", JpmSmartPayStatus.Captured, PaymentStatus.Paid, null)]
    [InlineData("SETTLED", JpmSmartPayStatus.Settled, PaymentStatus.Paid, null)]
    [InlineData("AUTHORIZATION_FAILED", JpmSmartPayStatus.AuthorizationFailed, PaymentStatus.Failed, "authorization_failed")]
    [InlineData("AUTHORIZATION_DECLINED", JpmSmartPayStatus.AuthorizationFailed, PaymentStatus.Failed, "authorization_failed")]
    [InlineData("AUTHORIZATION_REJECTED", JpmSmartPayStatus.AuthorizationFailed, PaymentStatus.Failed, "authorization_failed")]
    [InlineData("CAPTURE_FAILED", JpmSmartPayStatus.CaptureFailed, PaymentStatus.Failed, "capture_failed")]
    [InlineData("DECLINED", JpmSmartPayStatus.Declined, PaymentStatus.Failed, "declined")]
    [InlineData("REJECTED", JpmSmartPayStatus.Declined, PaymentStatus.Failed, "declined")]
    [InlineData("EXPIRED", JpmSmartPayStatus.Expired, PaymentStatus.Failed, "expired")]
    [InlineData("FAILED", JpmSmartPayStatus.Failed, PaymentStatus.Failed, "failed")]
    [InlineData("ERROR", JpmSmartPayStatus.Failed, PaymentStatus.Failed, "failed")]
    [InlineData("CANCELLED", JpmSmartPayStatus.Cancelled, PaymentStatus.Canceled, "cancelled")]
    [InlineData("CANCELED", JpmSmartPayStatus.Cancelled, PaymentStatus.Canceled, "cancelled")]
    [InlineData("AUTHORIZATION_CANCELLED", JpmSmartPayStatus.Cancelled, PaymentStatus.Canceled, "cancelled")]
    [InlineData("SOMETHING_NEW", JpmSmartPayStatus.Unknown, PaymentStatus.Pending, null)]
    [InlineData("", JpmSmartPayStatus.Unknown, PaymentStatus.Pending, null)]
    [InlineData(null, JpmSmartPayStatus.Unknown, PaymentStatus.Pending, null)]
    public void Each_word_is_one_status_with_its_failure_code(string? wire, JpmSmartPayStatus status, PaymentStatus payment, string? failureCode)
    {
        var parsed = JpmSmartPayStatuses.Parse(wire);

        Assert.Equal(status, parsed);
        Assert.Equal(payment, parsed.ToPaymentStatus());
        Assert.Equal(failureCode, parsed.FailureCode());
    }

    [Fact]
    public void A_capture_that_failed_is_a_failed_payment_never_a_captured_one()
    {
        var status = JpmSmartPayStatuses.Parse("CAPTURE_FAILED");

        Assert.NotEqual(JpmSmartPayStatus.Captured, status);
        Assert.Equal(PaymentStatus.Failed, status.ToPaymentStatus());
        Assert.Equal("capture_failed", status.FailureCode());
    }

    [Theory]
    [InlineData(" captured ")]
    [InlineData("Captured")]
    public void Words_are_read_without_case_or_surrounding_spaces(string wire) =>
        Assert.Equal(JpmSmartPayStatus.Captured, JpmSmartPayStatuses.Parse(wire));

    [Fact]
    public void Every_status_has_a_meaning_and_only_failures_have_a_code()
    {
        foreach (var status in Enum.GetValues<JpmSmartPayStatus>())
        {
            var payment = status.ToPaymentStatus();
            Assert.Equal(payment is PaymentStatus.Failed or PaymentStatus.Canceled, status.FailureCode() is not null);
        }
    }
}
