using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// A real Azurite (blob, queue and table: the Functions host keeps timer schedules and locks in blobs) that the
/// tests start themselves: on free loopback ports, in memory, with telemetry off. Shared by every test through the
/// "Azurite" collection; each test uses its own table names.
/// Azurite is installed by `npm ci` at the repository root (the README's test command does that).
/// With <see cref="SharedPortsVariable"/> set ("blob:queue:table"), the tests use an Azurite already running on those
/// ports and leave it running: the mutation run starts one for all its test hosts, which would otherwise each start
/// (and, when a mutant times out and its host is killed, leave behind) one of their own.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account key (from Azurite's own constants).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public const string AccountName = "devstoreaccount1";

    private Process? _process;
    private readonly StringBuilder _output = new();

    /// <summary>The table service's port.</summary>
    public int Port { get; private set; }

    public int BlobPort { get; private set; }

    public int QueuePort { get; private set; }

    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    /// <summary>All three services: good for the gateway's tables and for the Functions host's AzureWebJobsStorage.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};TableEndpoint={TableEndpoint};";

    public const string SharedPortsVariable = "AZURITE_TEST_PORTS";

    public async Task InitializeAsync()
    {
        if (SharedPorts(Environment.GetEnvironmentVariable(SharedPortsVariable)) is { } shared)
        {
            (BlobPort, QueuePort, Port) = shared;
            await WaitUntilListeningAsync();
            return;
        }

        var script = RepoPaths.Combine("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({script} is missing). Run `npm ci` at the repository root, or the README's test command.");
        }

        Port = FreeTcpPort();
        BlobPort = FreeTcpPort();
        QueuePort = FreeTcpPort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script,
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(),
                // The host's storage SDK speaks a newer service version than this Azurite knows.
                "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilListeningAsync();
    }

    /// <summary>"blob:queue:table" as three ports, or null when not set.</summary>
    internal static (int Blob, int Queue, int Table)? SharedPorts(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var parts = value.Split(':');
        if (parts.Length != 3 || !parts.All(p => int.TryParse(p, out var port) && port is > 0 and < 65536))
        {
            throw new InvalidOperationException($"{SharedPortsVariable} must be \"blob:queue:table\" ports, not \"{value}\".");
        }
        return (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"Azurite exited with {_process.ExitCode}: {Output}");
            }
            try
            {
                foreach (var port in new[] { BlobPort, QueuePort, Port })
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port);
                }
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Azurite did not listen on {Port} within 30 s: {Output}");
    }

    public string Output
    {
        get { lock (_output) { return _output.ToString(); } }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A table name no other test uses (letters and digits, 3-63 chars, starting with a letter).</summary>
    public static string UniqueTableName(string prefix = "t") =>
        prefix + Guid.NewGuid().ToString("N")[..20];

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A loopback port nobody listens on, for a server a test starts next. Chosen below the kernel's ephemeral
    /// range (32768+ on Linux): a port the kernel hands out for port 0 can be taken as the source port of any of
    /// the suite's many outgoing connections between our probe and the server's bind, which once made the
    /// published handler fail to start. Ports below that range are only ever taken by listeners.
    /// </summary>
    public static int FreeTcpPort()
    {
        for (var tries = 0; tries < 200; tries++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            // Never the same port twice in a run: two servers picked back to back must not share one.
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Someone listens there already: try another.
            }
        }
        throw new InvalidOperationException("No free loopback port between 20000 and 32000.");
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
