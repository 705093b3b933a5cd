using System.Reflection;
using SnipcartGateway.Sandbox.SandboxPay;

namespace SnipcartGateway.Sandbox.SandboxWidget;

/// <summary>
/// Sandbox Pay's widget flow, the part a browser talks to: the script the merchant's page loads
/// (<c>/sandboxpay/widget.js</c>, exposing <c>window.SandboxWidget.render</c>) and the small API it calls with the
/// checkout token the payment was created with. Shaped like real widget SDKs (J.P. Morgan's Checkout Web SDK): the
/// script collects the payment, the provider records it, and the script calls the merchant's success or error
/// handler, which proves nothing: the merchant's server must ask the provider (GET /v1/payments/{id}).
/// The API answers any origin (CORS), as a widget provider answers every merchant's page.
/// </summary>
public static class SandboxWidgetEndpoints
{
    public const string CorsPolicy = "SandboxWidget";
    public const string ScriptPath = "/sandboxpay/widget.js";

    /// <summary>What each of the widget's buttons does to the payment.</summary>
    private static readonly Dictionary<string, string> Outcomes = new(StringComparer.Ordinal)
    {
        ["pay"] = SandboxPayStatuses.Succeeded,
        ["decline"] = SandboxPayStatuses.Declined,
        // The checkout token ran out: the payment can no longer be paid.
        ["expire"] = SandboxPayStatuses.Canceled,
    };

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SandboxWidget.widget.js")
            ?? throw new InvalidOperationException("widget.js is not embedded in the sandbox.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IServiceCollection AddSandboxWidget(this IServiceCollection services) =>
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("GET", "POST")));

    public static IEndpointRouteBuilder MapSandboxWidget(this IEndpointRouteBuilder app)
    {
        app.MapGet(ScriptPath, (HttpResponse response) =>
        {
            response.Headers.CacheControl = "no-cache";
            return Results.Text(Script.Value, "text/javascript; charset=utf-8");
        });

        var api = app.MapGroup("/sandboxpay/widget/v1/checkouts/{checkoutToken}").RequireCors(CorsPolicy);
        api.MapGet("", (string checkoutToken, SandboxState state) =>
            state.FindSandboxPayPaymentByCheckoutToken(checkoutToken) is { } payment
                ? Results.Json(View(payment))
                : UnknownCheckout());
        api.MapPost("/{action}", (string checkoutToken, string action, SandboxState state) =>
        {
            if (!Outcomes.TryGetValue(action, out var status))
            {
                return SandboxPayApiEndpoints.Problem(400, "invalid_request", "action must be pay, decline or expire.");
            }
            var payment = state.FindSandboxPayPaymentByCheckoutToken(checkoutToken);
            if (payment is null)
            {
                return UnknownCheckout();
            }
            if (SandboxPayStatuses.IsFinal(payment.Status))
            {
                return SandboxPayApiEndpoints.Problem(409, "checkout_closed", $"This checkout is already {payment.Status}.");
            }
            // As the hosted page does: the notification goes out in the background.
            payment = state.SetSandboxPayStatus(payment.Id, status, notify: true)!;
            return Results.Json(View(payment));
        });
        return app;
    }

    private static object View(SandboxPayPayment payment) => new
    {
        transactionId = payment.Id,
        status = payment.Status,
        amount = payment.Amount,
        currency = payment.Currency,
        reference = payment.Reference,
        description = payment.Description,
    };

    private static IResult UnknownCheckout() =>
        SandboxPayApiEndpoints.Problem(404, "unknown_checkout", "No checkout has this token.");
}
