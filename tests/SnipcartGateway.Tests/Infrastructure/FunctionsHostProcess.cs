using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// The real Azure Functions host (`../shared/tools/functions-host/func-host`, or Core Tools' `func` on the PATH)
/// running the published Function App on a loopback port, with app settings as environment variables, as in
/// Azure. Its console output (host and worker logs) is captured for assertions. Started in its own process group
/// so that stopping it also stops the worker it started.
/// </summary>
public sealed class FunctionsHostProcess : IAsyncDisposable
{
    /// <summary>The folder holding func-host, beside the repository (CI lays ../shared next to the clone).</summary>
    public static string? FuncHostScript
    {
        get
        {
            var script = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "tools", "functions-host", "func-host"));
            return File.Exists(script) ? script : null;
        }
    }

    /// <summary>Why the host cannot run here, or null when it can.</summary>
    public static string? UnavailableReason =>
        FuncHostScript is not null || FuncOnPath() is not null
            ? null
            : "Neither ../shared/tools/functions-host/func-host nor Core Tools' func was found: the Functions host cannot run here.";

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly string _state;

    private FunctionsHostProcess(Process process, int port, string state)
    {
        _process = process;
        Port = port;
        _state = state;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Everything host and worker printed so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) { return _lines.ToList(); } }
    }

    public string Output => string.Join('\n', Lines);

    /// <summary>The host's master key (for /admin/*), from the key file func-host writes before it starts.</summary>
    public string MasterKey
    {
        get
        {
            using var keys = JsonDocument.Parse(File.ReadAllText(Path.Combine(_state, "secrets", "host.json")));
            return keys.RootElement.GetProperty("masterKey").GetProperty("value").GetString()!;
        }
    }

    /// <summary>Creates (or replaces) a host-level function key with this name through the admin API, as the portal's
    /// "App keys" page does, and returns its value.</summary>
    public async Task<string> CreateHostFunctionKeyAsync(string name)
    {
        using var client = CreateHttpClient();
        var value = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(30)).Replace('+', 'a').Replace('/', 'b').TrimEnd('=');
        using var request = new HttpRequestMessage(HttpMethod.Put, $"admin/host/functionkeys/{name}")
        {
            Content = JsonContent.Create(new { name, value }),
        };
        request.Headers.Add("x-functions-key", MasterKey);
        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The host refused to create key {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return value;
    }

    /// <summary>
    /// Starts the host on the published app with these app settings and waits until <paramref name="readyPath"/>
    /// answers 200 (the host polls the worker first; start-up takes several seconds), for up to <paramref name="timeout"/>
    /// (120 s by default; a test that expects the start to fail passes a short one).
    /// </summary>
    public static async Task<FunctionsHostProcess> StartAsync(string appFolder, int port, IReadOnlyDictionary<string, string?> settings, string readyPath = "api/health", TimeSpan? timeout = null)
    {
        if (UnavailableReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }
        var state = Directory.CreateTempSubdirectory("func-host-state-").FullName;
        var start = FuncHostScript is { } script
            ? new ProcessStartInfo("setsid") { ArgumentList = { script, appFolder, port.ToString() } }
            : new ProcessStartInfo("setsid") { ArgumentList = { FuncOnPath()!, "start", "--script-root", appFolder, "--port", port.ToString() } };
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // The host must not inherit the test runner's own .NET host settings.
        foreach (var name in new[] { "DOTNET_STARTUP_HOOKS", "VSTEST_HOST_DEBUG", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["FUNC_HOST_STATE"] = state;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        // Hosts sharing one storage account need their own ids (their timer locks live there).
        start.Environment["AzureFunctionsWebHost__hostid"] = "gw-test-" + Guid.NewGuid().ToString("N")[..20];
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The Functions host did not start.");
        var host = new FunctionsHostProcess(process, port, state);
        try
        {
            await host.WaitReadyAsync(readyPath, timeout ?? TimeSpan.FromSeconds(120));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateHttpClient(bool followRedirects = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>
    /// Runs a timer function now through the host's admin API, as Azure's portal does, and waits for the host to
    /// log its end. Returns true when the host logged it as succeeded.
    /// </summary>
    public async Task<bool> RunTimerAsync(string functionName, TimeSpan? timeout = null)
    {
        var before = Lines.Count;
        using var client = CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"admin/functions/{functionName}")
        {
            Content = JsonContent.Create(new { input = "" }),
        };
        request.Headers.Add("x-functions-key", MasterKey);
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The host refused to run {functionName}: {(int)response.StatusCode}");
        }
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in Lines.Skip(before))
            {
                if (line.Contains($"Executed 'Functions.{functionName}' (Succeeded", StringComparison.Ordinal))
                {
                    return true;
                }
                if (line.Contains($"Executed 'Functions.{functionName}' (Failed", StringComparison.Ordinal))
                {
                    return false;
                }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{functionName} did not finish within the timeout.\n{Output}");
    }

    /// <summary>Waits until a line containing the text appears (after the first <paramref name="skip"/> lines).</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, int skip = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = Lines.Skip(skip).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The host never printed '{text}'.\n{Output}");
    }

    private async Task WaitReadyAsync(string readyPath, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The Functions host exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await client.GetAsync(readyPath);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e.GetType().Name;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The Functions host did not answer 200 on /{readyPath} within {timeout.TotalSeconds} s (last: {last}).\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add(line);
        }
    }

    /// <summary>A crash: KILL to the host's whole process group at once (host and worker), no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        Signal("KILL");
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("TERM");
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Signal("KILL");
                await _process.WaitForExitAsync();
            }
        }
        // The worker is the host's child in the same group: make sure it is gone too.
        Signal("KILL");
        _process.Dispose();
        try
        {
            Directory.Delete(_state, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Signal(string signal)
    {
        try
        {
            using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, "--", "-" + _process.Id }, RedirectStandardError = true, UseShellExecute = false });
            kill?.WaitForExit(5000);
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static string? FuncOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "func"))
            .FirstOrDefault(File.Exists);
}
