using SnipcartGateway.Domain;
using SnipcartGateway.Providers.Smartpay;

namespace SnipcartGateway.Tests.Providers.Smartpay;

/// <summary>Smartpay's order statuses as a table, under automatic and manual capture, with the failure each names.</summary>
public sealed class SmartpayOrderStatusTests
{
    [Theory]
    [InlineData("succeeded", PaymentStatus.Paid, PaymentStatus.Paid, null)]
    [InlineData("requires_capture", PaymentStatus.Pending, PaymentStatus.Authorized, null)]
    [InlineData("requires_authorization", PaymentStatus.AwaitingShopper, PaymentStatus.AwaitingShopper, null)]
    [InlineData("rejected", PaymentStatus.Failed, PaymentStatus.Failed, "smartpay_rejected")]
    [InlineData("canceled", PaymentStatus.Failed, PaymentStatus.Failed, "smartpay_canceled")]
    [InlineData("failed", PaymentStatus.Failed, PaymentStatus.Failed, "smartpay_failed")]
    [InlineData("pending", PaymentStatus.Pending, PaymentStatus.Pending, null)]
    [InlineData("something_new", PaymentStatus.Pending, PaymentStatus.Pending, null)]
    [InlineData("SUCCEEDED", PaymentStatus.Pending, PaymentStatus.Pending, null)]   // the API spells them in lower case
    [InlineData(null, PaymentStatus.Pending, PaymentStatus.Pending, null)]
    public void Each_status_under_automatic_and_manual_capture(string? status, PaymentStatus automatic, PaymentStatus manual, string? failureCode)
    {
        Assert.Equal(automatic, SmartpayOrderStatus.ToPaymentStatus(status, manualCapture: false));
        Assert.Equal(manual, SmartpayOrderStatus.ToPaymentStatus(status, manualCapture: true));
        Assert.Equal(failureCode, SmartpayOrderStatus.Failure(status)?.Code);
    }

    [Fact]
    public void Each_failure_has_a_message_for_the_shopper()
    {
        Assert.Equal("Smartpay did not approve the payment.", SmartpayOrderStatus.Failure("rejected")!.Value.Message);
        Assert.Equal("The Smartpay order was cancelled.", SmartpayOrderStatus.Failure("canceled")!.Value.Message);
        Assert.Equal("The Smartpay payment failed.", SmartpayOrderStatus.Failure("failed")!.Value.Message);
    }
}
