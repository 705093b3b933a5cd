using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace SnipcartGateway.Tests.Infra;

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 package the test project downloads on restore
/// (PackageDownload; its path is baked into this assembly). Missing means the restore did not fetch it: that
/// fails the tests, it never skips them.
/// </summary>
public static partial class BicepCli
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        /// <summary>Diagnostic lines ("file(line,col) : Warning rule: message"), whatever their level.</summary>
        public IReadOnlyList<string> Diagnostics =>
            (StdOut + "\n" + StdErr).Split('\n').Where(line => DiagnosticLine().IsMatch(line)).Select(line => line.Trim()).ToList();
    }

    public static string Path { get; } = Locate();

    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + Path);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "BicepCliPath")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The Bicep CLI is not at '{path}'. It comes with `dotnet restore tests/SnipcartGateway.Tests` " +
                "(PackageDownload Azure.Bicep.CommandLine.linux-x64, version BicepCliVersion in Directory.Packages.props).");
        }
        // The package is the linux-x64 CLI; some extractions lose its executable bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
        }
        return path;
    }

    [GeneratedRegex(@"\(\d+,\d+\)\s*:\s*(Error|Warning|Info)\s", RegexOptions.IgnoreCase)]
    private static partial Regex DiagnosticLine();
}
