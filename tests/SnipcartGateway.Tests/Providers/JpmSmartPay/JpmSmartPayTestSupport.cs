using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Configuration;
using SnipcartGateway.Providers.JpmSmartPay;
using SnipcartGateway.Sandbox.JpmSmartPay;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

/// <summary>Settings that point the gateway's SmartPay adapter at the simulated SmartPay of a sandbox.</summary>
public static class JpmSmartPayTestSettings
{
    public const string GatewayBase = "https://pay.example.com";
    public const string NotificationUser = "jpm-notify";
    public const string NotificationPassword = "jpm-notify-password";

    /// <summary>Test mode with Basic (<paramref name="oauth"/> false) or OAuth, matching the simulator's defaults.</summary>
    public static Dictionary<string, string?> For(string sandboxBaseUrl, bool oauth)
    {
        var account = new JpmSmartPaySandboxSettings();
        var root = sandboxBaseUrl.TrimEnd('/') + "/jpmsmartpay";
        var settings = new Dictionary<string, string?>
        {
            ["Providers:JpmSmartPay:Enabled"] = "true",
            ["Providers:JpmSmartPay:Test:BaseUrl"] = root,
            ["Providers:JpmSmartPay:Test:MerchantKey"] = account.MerchantKey,
            ["Providers:JpmSmartPay:Test:WidgetScriptUrl"] = root + "/web-sdk.js",
            ["Providers:JpmSmartPay:Notifications:Username"] = NotificationUser,
            ["Providers:JpmSmartPay:Notifications:Password"] = NotificationPassword,
        };
        if (oauth)
        {
            settings["Providers:JpmSmartPay:Test:TokenUrl"] = root + "/oauth2/token";
            settings["Providers:JpmSmartPay:Test:ClientId"] = account.ClientId;
            settings["Providers:JpmSmartPay:Test:ClientSecret"] = account.ClientSecret;
        }
        else
        {
            settings["Providers:JpmSmartPay:Test:AuthenticationKey"] = account.AuthenticationKey;
        }
        return settings;
    }

    /// <summary>Just the adapter (and the gateway options it reads), logging everything at Trace into <paramref name="logs"/>.</summary>
    public static ServiceProvider Adapter(IDictionary<string, string?> settings, AllLogs logs)
    {
        settings["Gateway:PublicBaseUrl"] = GatewayBase + "/gateway";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddGatewayOptions();
        services.AddJpmSmartPayProvider(configuration);
        return services.BuildServiceProvider();
    }
}

/// <summary>Every log line at every level, with its exception's full text.</summary>
public sealed class AllLogs : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string Text => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(AllLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
