using System.Diagnostics;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// The Function App exactly as it ships: `scripts/publish.sh` runs once per test run, and every host-level test
/// starts the Functions host on that folder.
/// </summary>
public static class FunctionAppPackage
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The folder with host.json, worker.config.json and the worker, published once.</summary>
    public static Task<string> FolderAsync() => Published.Value;

    private static async Task<string> PublishAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "snipcart-gateway-tests", "functionapp-" + Environment.ProcessId);
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { RepoPaths.Combine("scripts", "publish.sh"), folder, folder + ".zip" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/publish.sh failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        return folder;
    }
}
