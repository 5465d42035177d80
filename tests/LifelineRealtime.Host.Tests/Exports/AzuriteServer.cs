using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>Azurite (npm, the real Azure Storage API) on a free loopback port, in memory; killed by its own process id.</summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    private Process? _process;

    public int BlobPort { get; private set; }

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;";

    public async ValueTask InitializeAsync()
    {
        var script = Path.Combine(Repository.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        Assert.True(File.Exists(script), $"{script} is missing: run npm ci");
        BlobPort = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                "--blobPort", Text(BlobPort), "--queuePort", Text(FreePort()), "--tablePort", Text(FreePort()) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready when it accepts a connection (no timed assertion: the test's own cancellation bounds the wait).
        var ct = TestContext.Current.CancellationToken;
        while (true)
        {
            Assert.False(_process.HasExited, "azurite exited at start");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, BlobPort, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process?.Dispose();
    }

    private static string Text(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
