using SnipcartGateway.Api;
using SnipcartGateway.Configuration;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Storage;

namespace SnipcartGateway;

/// <summary>
/// Builds the gateway. Kept apart from <see cref="Program"/> so the sandbox's local gateway can add its
/// test-only provider to the same app, and tests can build it through WebApplicationFactory.
/// </summary>
public static class GatewayApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The Functions host starts the handler from its own working directory: serve files from ours.
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.WebHost.UseCustomHandlerPort(builder.Configuration);
        builder.Configuration.AddKeyVaultSecretsIfConfigured();

        builder.Services.AddGatewayHosting();
        builder.Services.AddTableStorage(builder.Configuration);
        builder.Services.AddSnipcartClient(builder.Configuration);
        builder.Services.AddPaymentProviders(builder.Configuration);
        builder.Services.AddPayments(builder.Configuration);
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseGatewayHosting();
        app.UseCheckoutPage();
        // Routing after the page's static files: the page's catch-all function must not shadow its files.
        app.UseRouting();

        app.MapCheckoutPageFunction();
        app.MapHealthApi();
        app.MapPaymentMethodsApi();
        app.MapCheckoutApi();
        app.MapCheckoutSessionApi();
        app.MapProviderCallbacksApi();
        app.MapRefundsApi();
        app.MapReconciliationFunction();
        return app;
    }
}
