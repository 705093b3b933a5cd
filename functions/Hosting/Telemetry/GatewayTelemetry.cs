using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;

namespace SnipcartGateway.Hosting.Telemetry;

/// <summary>
/// The gateway's own tracing names: one <see cref="ActivitySource"/> for the spans the gateway makes itself (a call
/// to an upstream across its retries), and the attribute names every span about a payment carries. The payment
/// reference and the provider id are no secrets (the reference is in the shopper's URLs); refund keys, public
/// tokens and credentials never become attributes.
/// </summary>
public static class GatewayTelemetry
{
    public const string SourceName = "SnipcartGateway";

    public const string PaymentReferenceAttribute = "payment.reference";
    public const string PaymentProviderAttribute = "payment.provider";
    public const string UpstreamAttribute = "gateway.upstream";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Puts the payment reference and provider on the current span (the function's), when one is recorded.</summary>
    public static void TagPayment(string? paymentRef, string? provider) => TagPayment(Activity.Current, paymentRef, provider);

    public static void TagPayment(Activity? activity, string? paymentRef, string? provider)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }
        if (!string.IsNullOrEmpty(paymentRef))
        {
            activity.SetTag(PaymentReferenceAttribute, paymentRef);
        }
        if (!string.IsNullOrEmpty(provider))
        {
            activity.SetTag(PaymentProviderAttribute, provider);
        }
    }

    /// <summary>Tags the function's span with the route's <c>{paymentRef}</c> and <c>{providerId}</c>, when recorded.
    /// The binding data is only read then: the worker builds it on first access.</summary>
    public static void TagPaymentFromRoute(FunctionContext context)
    {
        if (Activity.Current is not { IsAllDataRequested: true } activity)
        {
            return;
        }
        var bindingData = context.BindingContext.BindingData;
        TagPayment(activity, Route(bindingData, "paymentRef"), Route(bindingData, "providerId"));
    }

    private static string? Route(IReadOnlyDictionary<string, object?> bindingData, string name) =>
        bindingData.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>
    /// A span of its own for work on one payment outside any request (reconciliation checks each attempt in one
    /// timer run): <c>using var span = GatewayTelemetry.StartPaymentSpan("reconcile attempt", attempt.PaymentRef, attempt.ProviderId);</c>.
    /// Null (and free) when nothing listens.
    /// </summary>
    public static Activity? StartPaymentSpan(string name, string paymentRef, string? provider)
    {
        var activity = Source.StartActivity(name);
        TagPayment(activity, paymentRef, provider);
        return activity;
    }
}
