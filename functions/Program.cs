using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using SnipcartGateway;
using SnipcartGateway.Configuration;
using SnipcartGateway.Hosting;

// The Azure Functions isolated worker: the Functions host starts this process, tells it about invocations over
// gRPC and proxies each HTTP request to the worker's own Kestrel (the ASP.NET Core integration), so functions take
// HttpRequest and return IResult as any ASP.NET Core endpoint would.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Configuration.AddGatewayLoggingDefaults();
builder.Configuration.AddKeyVaultSecretsIfConfigured();
builder.UseGatewayHttpMiddleware();
builder.Services.AddGateway(builder.Configuration);
builder.Build().Run();
