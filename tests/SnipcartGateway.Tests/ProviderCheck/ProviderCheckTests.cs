using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Sandbox.Smartpay;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.ProviderCheck;

/// <summary>
/// scripts/provider-check.sh as CI runs it: against the sandbox's simulators, for each real provider, with the settings
/// in the environment under the app's own names. Every check passes (exit 0, a report without secrets); a simulator
/// switched to the other reading of a silent document makes the check of that inference fail, named.
/// </summary>
[Trait("Category", "ProviderCheck")]
public sealed class ProviderCheckTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private readonly string _reports = Directory.CreateTempSubdirectory("provider-check-").FullName;

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        Directory.Delete(_reports, recursive: true);
    }

    private JpmSmartPayState Jpm => _sandbox.Services.GetRequiredService<JpmSmartPayState>();

    private static readonly JpmSmartPaySandboxSettings JpmAccount = new();
    private static readonly SmartpaySimulatorOptions SmartpayAccount = new();

    /// <summary>The settings a merchant would export, pointed at the sandbox.</summary>
    private Dictionary<string, string> SettingsFor(string provider) => provider switch
    {
        "snapplify" => new()
        {
            ["Providers__Snapplify__Enabled"] = "true",
            ["Providers__Snapplify__Test__BaseUrl"] = _sandbox.BaseUrl + "/snapplify",
            ["Providers__Snapplify__Test__Client"] = SandboxFactory.SnapplifyClient,
            ["Providers__Snapplify__Test__Secret"] = SandboxFactory.SnapplifySecret,
        },
        "smartpay" => new()
        {
            ["Providers__Smartpay__Enabled"] = "true",
            ["Providers__Smartpay__ApiBaseUrl"] = _sandbox.BaseUrl + "/smartpay/v1",
            ["Providers__Smartpay__Test__SecretKey"] = SmartpayAccount.TestSecretKey!,
            ["Providers__Smartpay__Test__SigningSecret"] = SmartpayAccount.WebhookSigningSecret!,
        },
        _ => new()
        {
            ["Providers__JpmSmartPay__Enabled"] = "true",
            ["Providers__JpmSmartPay__Test__BaseUrl"] = _sandbox.BaseUrl + "/jpmsmartpay",
            ["Providers__JpmSmartPay__Test__MerchantKey"] = JpmAccount.MerchantKey,
            ["Providers__JpmSmartPay__Test__TokenUrl"] = _sandbox.BaseUrl + "/jpmsmartpay/oauth2/token",
            ["Providers__JpmSmartPay__Test__ClientId"] = JpmAccount.ClientId,
            ["Providers__JpmSmartPay__Test__ClientSecret"] = JpmAccount.ClientSecret,
            ["Providers__JpmSmartPay__Test__WidgetScriptUrl"] = _sandbox.BaseUrl + "/jpmsmartpay/web-sdk.js",
        },
    };

    private async Task<(int ExitCode, string Output, string Report)> RunAsync(string provider)
    {
        var report = Path.Combine(_reports, provider + "-" + Guid.NewGuid().ToString("N") + ".txt");
        var start = new ProcessStartInfo("bash", [RepoPaths.Combine("scripts", "provider-check.sh"), provider])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (key, value) in SettingsFor(provider))
        {
            start.Environment[key] = value;
        }
        start.Environment["Gateway__PublicBaseUrl"] = "https://pay.example.com";
        start.Environment["PROVIDER_CHECK_SANDBOX"] = "1";
        start.Environment["PROVIDER_CHECK_REPORT"] = report;
        start.Environment["PROVIDER_CHECK_NO_BUILD"] = "1";
#if DEBUG
        start.Environment["PROVIDER_CHECK_CONFIGURATION"] = "Debug";
#else
        start.Environment["PROVIDER_CHECK_CONFIGURATION"] = "Release";
#endif
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;
        return (process.ExitCode, text, File.Exists(report) ? await File.ReadAllTextAsync(report) : "");
    }

    [Theory]
    [InlineData("snapplify", 5)]
    [InlineData("smartpay", 5)]
    [InlineData("jpmsmartpay", 6)]
    public async Task Against_the_sandbox_every_check_passes_and_the_report_keeps_every_answer_without_secrets(string provider, int confirmed)
    {
        var (exitCode, output, report) = await RunAsync(provider);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"{confirmed} confirmed, 0 contradicted", output);
        Assert.Contains("Every call and answer", report);
        Assert.Contains("answer: 200", report);
        Assert.Equal(confirmed, report.Split('\n').Count(l => l.StartsWith("[Confirmed]", StringComparison.Ordinal)));
        foreach (var secret in SettingsFor(provider).Where(kv => kv.Key.EndsWith("Secret", StringComparison.Ordinal) || kv.Key.EndsWith("SecretKey", StringComparison.Ordinal) || kv.Key.EndsWith("MerchantKey", StringComparison.Ordinal)).Select(kv => kv.Value))
        {
            Assert.DoesNotContain(secret, report);
            Assert.DoesNotContain(secret, output);
        }
    }

    [Fact]
    public async Task A_snapplify_that_validates_once_contradicts_the_validate_again_check_by_name()
    {
        _sandbox.Snapplify.Options.ValidateOnce = true;

        var (exitCode, output, report) = await RunAsync("snapplify");

        Assert.Equal(1, exitCode);
        Assert.Contains("CONTRADICTED snapplify.validate-again", output);
        Assert.Contains("Contradicted: ", output);
        Assert.Contains("ALREADY_VALIDATED", report);
    }

    [Fact]
    public async Task A_snapplify_read_the_other_way_twice_names_each_contradicted_check()
    {
        _sandbox.Snapplify.Options.ValidateOnce = true;
        _sandbox.Snapplify.Options.ValidateRefusesNew = true;

        var (exitCode, output, _) = await RunAsync("snapplify");

        Assert.Equal(1, exitCode);
        Assert.Contains("CONTRADICTED snapplify.validate-new", output);
        Assert.Contains("CONTRADICTED snapplify.validate-again", output);
        var summary = output.Split('\n').Single(l => l.StartsWith("Contradicted: ", StringComparison.Ordinal));
        Assert.Contains("snapplify.validate-new", summary);
        Assert.Contains("snapplify.validate-again", summary);
    }

    [Fact]
    public async Task A_smartpay_japan_that_will_not_cancel_an_order_awaiting_authorisation_contradicts_the_cancel_check_by_name()
    {
        _sandbox.Services.GetRequiredService<SmartpayState>().Options.CancelAwaitingAuthorization = false;

        var (exitCode, output, report) = await RunAsync("smartpay");

        Assert.Equal(1, exitCode);
        Assert.Contains("CONTRADICTED smartpay.cancel-unpaid", output);
        Assert.DoesNotContain("CONTRADICTED smartpay.create", output);
        Assert.Contains("order.cannot-cancel", report);
    }

    [Fact]
    public async Task A_smartpay_that_will_not_cancel_a_created_checkout_contradicts_the_cancel_check_by_name()
    {
        Jpm.Settings.CancelCreated = false;

        var (exitCode, output, _) = await RunAsync("jpmsmartpay");

        Assert.Equal(1, exitCode);
        Assert.Contains("CONTRADICTED jpmsmartpay.cancel-created", output);
        Assert.DoesNotContain("CONTRADICTED jpmsmartpay.refund-modification", output);
    }

    [Fact]
    public async Task Without_settings_it_names_what_is_missing_and_exits_2()
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Combine("scripts", "provider-check.sh"), "nosuchprovider"]) { RedirectStandardOutput = true };
        start.Environment["PROVIDER_CHECK_NO_BUILD"] = "1";
#if DEBUG
        start.Environment["PROVIDER_CHECK_CONFIGURATION"] = "Debug";
#endif
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("usage: provider-check.sh", output);
    }
}
