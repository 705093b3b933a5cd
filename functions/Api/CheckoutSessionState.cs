using SnipcartGateway.Domain;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Api;

/// <summary>The session's payment as the page shows it: the attempt's reference, status, the provider's page to
/// continue it, and whether the page may offer to cancel it.</summary>
public sealed record CheckoutPaymentView(string PaymentRef, string Status, string? ContinueUrl, bool CanCancel);

/// <summary>Where the session's payment stands, in the page's words (the contract's <c>state</c>).</summary>
public static class CheckoutSessionState
{
    public const string Payable = "payable";
    public const string InProgress = "in_progress";
    public const string Paid = "paid";

    /// <summary>Paid: the reference and Snipcart's returnUrl (the order's page). In progress: the attempt in flight.
    /// Payable: the last attempt too when it failed or was cancelled, so the page can say so.</summary>
    public static CheckoutSessionView Apply(CheckoutSessionView view, SessionPaymentView payment)
    {
        var attempt = payment.Attempt;
        var described = attempt is null ? null : new CheckoutPaymentView(
            attempt.PaymentRef,
            PaymentInFlightGuard.StatusWord(attempt.Status),
            attempt.Status is PaymentStatus.AwaitingShopper or PaymentStatus.Pending ? CheckoutSessionView.HttpUrlOrNull(attempt.ContinueUrl) : null,
            payment.Decision.CanCancel);
        return payment.Decision.Verdict switch
        {
            InFlightVerdict.AlreadyPaid => view with
            {
                State = Paid,
                PaymentRef = payment.Decision.PaymentRef,
                ReturnUrl = CheckoutSessionView.HttpUrlOrNull(attempt?.ReturnUrl),
                Payment = described,
            },
            InFlightVerdict.InProgress => view with
            {
                State = InProgress,
                PaymentRef = payment.Decision.PaymentRef,
                Payment = described ?? new CheckoutPaymentView(payment.Decision.PaymentRef!, PaymentInFlightGuard.StatusWord(PaymentStatus.Pending), null, false),
            },
            _ => view with { State = Payable, Payment = described },
        };
    }
}
