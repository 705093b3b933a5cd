using SnipcartGateway.Api;
using SnipcartGateway.Configuration;
using SnipcartGateway.Hosting;

// The same registrations and logging defaults as the worker's Program.cs, and the same handler, answered by
// Kestrel directly: what the payment-methods webhook costs without the Functions host in front of it.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Configuration.AddGatewayLoggingDefaults();
builder.Services.AddGateway(builder.Configuration);
builder.Services.AddSingleton<PaymentMethodsApi>();
var app = builder.Build();
app.MapPost("/api/snipcart/payment-methods", (HttpContext http, PaymentMethodsApi api) =>
{
    // What GatewayHttpMiddleware does for every HTTP function before the handler runs.
    SecurityHeaders.ApiDefaults(http.Response);
    return api.Run(http.Request, http.RequestAborted);
});
app.MapGet("/api/health", () => Results.Ok(new { status = "ok" }));
app.Run();
