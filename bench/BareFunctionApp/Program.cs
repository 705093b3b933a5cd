using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Logging;

// The same worker set-up as the gateway's Program.cs minus the gateway: ASP.NET Core integration, one HttpClient.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// Like the gateway's LoggingDefaults for framework categories, and nothing of its own: the floor logs nothing per request.
builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
builder.Services.AddHttpClient("upstream", http => http.BaseAddress = new Uri(builder.Configuration["Snipcart:ApiBaseUrl"]!.TrimEnd('/') + "/"));
builder.Build().Run();
