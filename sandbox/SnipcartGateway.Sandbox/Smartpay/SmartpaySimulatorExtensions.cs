namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>The Smartpay simulator's registration: one line in SandboxApp's builder, one in its app.</summary>
public static class SmartpaySimulatorExtensions
{
    public static IServiceCollection AddSmartpaySimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SmartpaySimulatorOptions>().Bind(configuration.GetSection(SmartpaySimulatorOptions.SectionName));
        services.AddSingleton<SmartpayState>();
        services.AddHostedService<SmartpayWebhookSender>();
        return services;
    }

    /// <summary>The API under /smartpay/v1, the hosted checkout page, and the start-up webhook endpoint.</summary>
    public static WebApplication MapSmartpaySimulator(this WebApplication app)
    {
        app.MapSmartpayApi();
        app.MapSmartpayCheckoutPage();
        app.MapSmartpayCaptureHooks();
        var state = app.Services.GetRequiredService<SmartpayState>();
        var options = state.Options;
        var url = options.WebhookUrl ?? state.GatewayBase + "/api/providers/smartpay/notifications?mode=test";
        if (!string.IsNullOrWhiteSpace(url) && !string.IsNullOrWhiteSpace(options.WebhookSigningSecret) && state.WebhookEndpoints.Count == 0)
        {
            // As if the merchant had run scripts/smartpay-webhook.sh against this sandbox.
            state.AddWebhookEndpoint(test: true, url, null, "Registered at start-up (Sandbox:Smartpay:WebhookUrl)", options.WebhookSigningSecret);
        }
        return app;
    }
}
