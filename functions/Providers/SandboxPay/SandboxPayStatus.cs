using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>Sandbox Pay's own statuses; <see cref="Unknown"/> stands for any word this adapter does not know.</summary>
public enum SandboxPayStatus
{
    Unknown,
    RequiresAction,
    Pending,
    Succeeded,
    Declined,
    Canceled,
}

public static class SandboxPayStatuses
{
    public static SandboxPayStatus Parse(string? wire) => wire switch
    {
        "requires_action" => SandboxPayStatus.RequiresAction,
        "pending" => SandboxPayStatus.Pending,
        "succeeded" => SandboxPayStatus.Succeeded,
        "declined" => SandboxPayStatus.Declined,
        "canceled" => SandboxPayStatus.Canceled,
        _ => SandboxPayStatus.Unknown,
    };

    /// <summary>Only an explicit success or failure is final; anything unknown stays Pending. "requires_action" is
    /// Sandbox Pay's "created, the shopper has not acted": no money committed, so never "processing".</summary>
    public static PaymentStatus ToPaymentStatus(this SandboxPayStatus status) => status switch
    {
        SandboxPayStatus.RequiresAction => PaymentStatus.AwaitingShopper,
        SandboxPayStatus.Succeeded => PaymentStatus.Paid,
        SandboxPayStatus.Declined => PaymentStatus.Failed,
        SandboxPayStatus.Canceled => PaymentStatus.Canceled,
        _ => PaymentStatus.Pending,
    };
}
