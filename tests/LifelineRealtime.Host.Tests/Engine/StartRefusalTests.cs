using System.Net;
using System.Net.Sockets;
using LifelineRealtime.Host.Tests.Support;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// The real host as a child process: what stops it at start is said in one line on standard error, with exit
/// code 2, before the journal is opened, instead of a stack trace.
/// </summary>
public sealed class StartRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SettingOutOfRange_RefusedInOneLineNamingIt()
    {
        var databasePath = LifelineHostFactory.NewDatabasePath();
        var settings = TestPlatforms.Settings(databasePath);
        settings["Lifeline:Telemetry:MetricsPort"] = "70000";
        try
        {
            var (exitCode, output, error) = await HostProcess.RunToExitAsync(TestPlatforms.Arguments(settings), "http://127.0.0.1:0", TimeSpan.FromSeconds(60), Ct);

            Assert.Equal(2, exitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal("Lifeline:Telemetry:MetricsPort must be a TCP port from 1 to 65535 (got 70000).", line.Trim());
            Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }

    [Fact]
    public async Task PortAnotherProcessListensOn_RefusedInOneLineBeforeTheJournalIsCreated()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var databasePath = LifelineHostFactory.NewDatabasePath();
        try
        {
            var (exitCode, output, error) = await HostProcess.RunToExitAsync(
                TestPlatforms.Arguments(TestPlatforms.Settings(databasePath)), $"http://127.0.0.1:{port}", TimeSpan.FromSeconds(60), Ct);

            Assert.Equal(2, exitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Port {port}", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
            Assert.False(File.Exists(databasePath), "the journal was created before the port was checked");
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }

    [Fact]
    public async Task JournalAnotherEngineHolds_RefusedInOneLineNamingIt_AndTheFirstKeepsRunning()
    {
        var databasePath = LifelineHostFactory.NewDatabasePath();
        var arguments = TestPlatforms.Arguments(TestPlatforms.Settings(databasePath)).ToList();
        try
        {
            using var first = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), Ct);

            var (exitCode, output, error) = await HostProcess.RunToExitAsync(arguments, "http://127.0.0.1:0", TimeSpan.FromSeconds(60), Ct);

            Assert.Equal(2, exitCode);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(databasePath, line, StringComparison.Ordinal);
            Assert.Contains("in use by another process", line, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
            using var client = first.CreateClient();
            using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }
}
