using SnipcartGateway.Domain;
using SnipcartGateway.Providers.SandboxPay;

namespace SnipcartGateway.Tests.Providers.SandboxPay;

/// <summary>Sandbox Pay's statuses as a table (the adapter's own, not the simulator's).</summary>
public sealed class SandboxPayStatusTests
{
    [Theory]
    [InlineData("requires_action", SandboxPayStatus.RequiresAction, PaymentStatus.AwaitingShopper)]
    [InlineData("pending", SandboxPayStatus.Pending, PaymentStatus.Pending)]
    [InlineData("succeeded", SandboxPayStatus.Succeeded, PaymentStatus.Paid)]
    [InlineData("declined", SandboxPayStatus.Declined, PaymentStatus.Failed)]
    [InlineData("canceled", SandboxPayStatus.Canceled, PaymentStatus.Canceled)]
    [InlineData("on_hold", SandboxPayStatus.Unknown, PaymentStatus.Pending)]
    [InlineData(null, SandboxPayStatus.Unknown, PaymentStatus.Pending)]
    public void Each_word_is_one_status(string? wire, SandboxPayStatus status, PaymentStatus payment)
    {
        var parsed = SandboxPayStatuses.Parse(wire);

        Assert.Equal(status, parsed);
        Assert.Equal(payment, parsed.ToPaymentStatus());
    }
}
