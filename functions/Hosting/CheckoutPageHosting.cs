namespace SnipcartGateway.Hosting;

// SKELETON: owned by the checkout page work (static files under /checkout/, security headers).
public static class CheckoutPageHosting
{
    public static WebApplication UseCheckoutPage(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }
}
