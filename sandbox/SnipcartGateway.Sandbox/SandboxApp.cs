using Microsoft.Extensions.FileProviders;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Sandbox.SandboxPay;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Sandbox.Smartpay;
using SnipcartGateway.Sandbox.SandboxWidget;
using SnipcartGateway.Sandbox.Snipcart;
using SnipcartGateway.Sandbox.Store;

namespace SnipcartGateway.Sandbox;

/// <summary>
/// Builds the sandbox: Snipcart's simulated API, the test-only Sandbox Pay provider and the demo store.
/// Kept apart from <see cref="Program"/> so tests host the same app through WebApplicationFactory.
/// </summary>
public static class SandboxApp
{
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // The sandbox's own defaults (keys that match the local gateway's), below every other source. Not named
        // appsettings.json: projects that reference the sandbox (tests) would copy it into their own output.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "sandbox.settings.json",
            Optional = true,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });

        builder.Services.AddOptions<SandboxOptions>()
            .Bind(builder.Configuration.GetSection(SandboxOptions.SectionName))
            .Validate(o => Uri.TryCreate(o.PublicUrl, UriKind.Absolute, out _), "Sandbox__PublicUrl must be an absolute URL.")
            .Validate(o => Uri.TryCreate(o.GatewayUrl, UriKind.Absolute, out _), "Sandbox__GatewayUrl must be an absolute URL.")
            .ValidateOnStart();
        // Modes read "test"/"live" in the JSON the sandbox serves, as Snipcart writes them.
        builder.Services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SandboxState>();
        builder.Services.AddSingleton<GatewayWebhooks>();
        builder.Services.AddHostedService<SandboxPayNotifier>();
        builder.Services.AddSmartpaySimulator(builder.Configuration);
        builder.Services.AddHttpClient(SandboxPayNotifier.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSnapplifySimulator(builder.Configuration);
        builder.Services.AddJpmSmartPaySimulator(builder.Configuration);
        builder.Services.AddCors(cors => cors.AddPolicy(SnipcartSimulatorEndpoints.CorsPolicy,
            policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("GET")));
        builder.Services.AddSandboxWidget();
        return builder;
    }

    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UseCallRecording();
        app.UseCors();

        // Served from the build output explicitly, whatever content root a test host picks.
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

        app.MapSnipcartSimulator();
        app.MapSandboxPayApi();
        app.MapSandboxPayHostedPage();
        app.MapSnapplifySimulator();
        app.MapSmartpaySimulator();
        app.MapSandboxWidget();
        app.MapJpmSmartPay();
        app.MapStore();
        app.MapOrderPage();
        return app;
    }

    /// <summary>Records every request to the simulated APIs (/api, /sandboxpay, /smartpay, /jpmsmartpay, /snapplify) with its final status.</summary>
    private static void UseCallRecording(this WebApplication app) =>
        app.Use(async (context, next) =>
        {
            await next(context);
            var path = context.Request.Path;
            if (path.StartsWithSegments("/api") || path.StartsWithSegments("/sandboxpay") || path.StartsWithSegments("/smartpay") || path.StartsWithSegments("/jpmsmartpay")
                || path.StartsWithSegments(SnapplifyApiEndpoints.Prefix))
            {
                var state = context.RequestServices.GetRequiredService<SandboxState>();
                state.RecordReceived(new ReceivedCallRecord(state.Now, context.Request.Method, path.Value ?? "", context.Response.StatusCode));
            }
        });
}
