using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Configuration;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.JpmSmartPay;
using SnipcartGateway.Providers.Smartpay;
using SnipcartGateway.Providers.Snapplify;

namespace SnipcartGateway.ProviderCheck;

/// <summary>
/// <c>provider-check &lt;provider&gt;</c>: builds the gateway's own adapter from the environment (the same setting names
/// as the app: <c>Providers__Snapplify__Test__Client</c>...), runs its checks in test mode, prints each inference as
/// confirmed, CONTRADICTED (with the provider's answer) or not tried, and writes every answer it saw, secrets removed,
/// to a report. Exit code: 0 when no check was contradicted, 1 when one was (each is named), 2 for a usage or
/// settings problem.
/// </summary>
public static class ProviderCheckCommand
{
    private static readonly Dictionary<string, (Func<IServiceCollection, IConfiguration, IServiceCollection> Register, Func<CheckSession, Task> Checks)> Known =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [SnapplifyProvider.ProviderId] = ((s, c) => s.AddSnapplifyProvider(c), SnapplifyChecks.RunAsync),
            [SmartpayProvider.ProviderId] = ((s, c) => s.AddSmartpayProvider(c), SmartpayChecks.RunAsync),
            [JpmSmartPayProvider.ProviderId] = ((s, c) => s.AddJpmSmartPayProvider(c), JpmSmartPayChecks.RunAsync),
        };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextReader input)
    {
        if (args.Length != 1 || !Known.TryGetValue(args[0], out var provider))
        {
            output.WriteLine($"usage: provider-check.sh {string.Join('|', Known.Keys)}   (settings from the environment, as the app reads them)");
            return 2;
        }
        var id = args[0].ToLowerInvariant();
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        // Return and notification URLs in the payments it creates; SmartPay also gets it as Origin.
        configuration["Gateway:PublicBaseUrl"] ??= "https://provider-check.invalid";
        var log = new AnswerLog(Secrets(configuration));
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IConfiguration>(configuration);
        services.AddGatewayOptions();
        provider.Register(services, configuration);
        services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(log.Handler));
        await using var built = services.BuildServiceProvider();

        var adapter = built.GetServices<IPaymentProvider>().Single(p => p.Id == id);
        if (!IsConfigured(adapter))
        {
            output.WriteLine($"{id}: test mode is not configured. Set Providers__<Id>__Enabled=true and the Providers__<Id>__Test__* settings (docs/providers/{id}.md).");
            return 2;
        }
        var sandbox = configuration["PROVIDER_CHECK_SANDBOX"] is "1" or "true";
        IShopper shopper = sandbox ? new SandboxShopper() : new ManualShopper(output, input);
        var session = new CheckSession(adapter, new Uri(configuration["Gateway:PublicBaseUrl"]!), shopper, output, log);
        output.WriteLine($"provider-check {id} (test mode{(sandbox ? ", paying through the sandbox's simulator" : "")})");
        await provider.Checks(session);

        var report = configuration["PROVIDER_CHECK_REPORT"] is { Length: > 0 } path ? path : $"provider-check-{id}-{DateTime.UtcNow:yyyyMMddTHHmmssZ}.txt";
        await ReportFile.WriteAsync(report, id, session.Results, log);
        var contradicted = session.Results.Where(r => r.Outcome == CheckOutcome.Contradicted).Select(r => r.Id).ToList();
        output.WriteLine($"{session.Results.Count(r => r.Outcome == CheckOutcome.Confirmed)} confirmed, {contradicted.Count} contradicted, "
            + $"{session.Results.Count(r => r.Outcome == CheckOutcome.NotTried)} not tried. Report: {report}");
        if (contradicted.Count > 0)
        {
            output.WriteLine("Contradicted: " + string.Join(", ", contradicted) + $" (see docs/providers/{id}.md for what each means and what to do)");
            return 1;
        }
        return 0;
    }

    /// <summary>Test mode offered for the check's own payment (its currency and billing country).</summary>
    private static bool IsConfigured(IPaymentProvider adapter) => adapter.Id switch
    {
        SnapplifyProvider.ProviderId => adapter.Supports(PaymentMode.Test, "ZAR", "ZA"),
        SmartpayProvider.ProviderId => adapter.Supports(PaymentMode.Test, "JPY", "JP"),
        _ => adapter.Supports(PaymentMode.Test, "EUR", "FR"),
    };

    /// <summary>Every configured value whose name says it is a credential (keys, secrets, passwords, tokens).</summary>
    private static List<string> Secrets(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(kv => kv.Value is { Length: > 0 } && kv.Key.StartsWith("Providers:", StringComparison.OrdinalIgnoreCase)
                && new[] { "Secret", "Key", "Password", "Token" }.Any(w => kv.Key.Split(':')[^1].Contains(w, StringComparison.OrdinalIgnoreCase))
                && !kv.Key.EndsWith("Url", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv.Value!)
            .Distinct()
            .ToList();
}
