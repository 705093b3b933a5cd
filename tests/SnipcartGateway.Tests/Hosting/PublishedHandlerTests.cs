using System.Diagnostics;
using System.Net;
using System.Text;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>
/// The deployable package as the Functions host sees it: scripts/publish.sh output started the way the host
/// starts a custom handler (FUNCTIONS_CUSTOMHANDLER_PORT), against Azurite. Slow (a real self-contained
/// ReadyToRun publish), but it is the only test of what actually ships.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PublishedHandlerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Published_package_has_the_host_layout_and_the_handler_serves_health_and_the_checkout_page()
    {
        var work = Path.Combine(Path.GetTempPath(), "functionapp-" + Guid.NewGuid().ToString("N"));
        var output = Path.Combine(work, "app");
        try
        {
            var (code, log) = await RunAsync("bash", [RepoPaths.Combine("scripts", "publish.sh"), output, Path.Combine(work, "functionapp.zip")], TimeSpan.FromMinutes(12));
            Assert.True(code == 0, "scripts/publish.sh failed:\n" + log);

            Assert.True(File.Exists(Path.Combine(output, "host.json")), "host.json missing at the package root");
            Assert.True(File.Exists(Path.Combine(work, "functionapp.zip")), "zip missing");
            foreach (var function in Directory.GetDirectories(RepoPaths.Combine("functions", "function-json")).Select(Path.GetFileName))
            {
                Assert.True(File.Exists(Path.Combine(output, function!, "function.json")), $"{function}/function.json missing at the package root");
            }
            var handler = Path.Combine(output, "handler", "SnipcartGateway");
            Assert.True(File.Exists(handler), "handler binary missing");
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(handler).HasFlag(UnixFileMode.UserExecute), "handler is not executable");

            var port = AzuriteFixture.FreeTcpPort();
            var start = new ProcessStartInfo(handler)
            {
                // The host starts the handler from its own directory; the handler must not depend on it.
                WorkingDirectory = work,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                Environment =
                {
                    ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(),
                    ["AzureWebJobsStorage"] = azurite.ConnectionString,
                    ["Gateway__PublicBaseUrl"] = "https://gateway.test",
                    ["Snipcart__SecretKeys__Test"] = "test_secret",
                    ["Snipcart__SecretKeys__Live"] = "live_secret",
                    ["ASPNETCORE_URLS"] = null,
                    ["ASPNETCORE_ENVIRONMENT"] = null,
                    ["DOTNET_ENVIRONMENT"] = null,
                    ["KeyVault__Uri"] = null,
                },
            };
            using var process = Process.Start(start)!;
            var handlerLog = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (handlerLog) { handlerLog.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (handlerLog) { handlerLog.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
                var ready = await WaitForAnswerAsync(http, "/", TimeSpan.FromSeconds(60), process);
                string LogSoFar() { lock (handlerLog) { return handlerLog.ToString(); } }
                Assert.True(ready, $"The handler did not answer GET / (the host's readiness probe) within 60 s (exited: {process.HasExited}):\n" + LogSoFar());

                var health = await http.GetAsync("/api/health");
                var healthBody = await health.Content.ReadAsStringAsync();
                Assert.True(health.StatusCode == HttpStatusCode.OK, $"GET /api/health: {(int)health.StatusCode} {healthBody}");
                Assert.Contains("\"storage\":\"up\"", healthBody);

                var page = await http.GetAsync("/checkout/index.html");
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<bool> WaitForAnswerAsync(HttpClient http, string path, TimeSpan within, Process process)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync(path);
                return true;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    private static async Task<(int Code, string Log)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout + "\n" + await stderr);
    }
}
