using System.Net;
using LifelineRealtime.Grains.Dispatch;
using LifelineRealtime.Host.Tests.Ingest;
using LifelineRealtime.Host.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using LifelineRealtime.Testing;

namespace LifelineRealtime.Host.Tests.Engine;

/// <summary>
/// The journal and the grain state hold CS and ISS names: on disk they are the engine user's alone. Tests
/// run as root, which modes do not stop, so the mode bits are read rather than access tried.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFileModesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DataFiles_HostRunning_FolderIs0700AndEveryJournalAndGrainStateFileIs0600()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var root = Path.Combine(TestData.Root, $"host-modes-{Guid.NewGuid():N}");
        var data = Path.Combine(root, "data");
        try
        {
            await using (var factory = new LifelineHostFactory(s => s["Lifeline:Storage:Path"] = Path.Combine(data, "lifeline.db")))
            {
                using var client = factory.CreateClient();
                using var request = WebhookRequests.FormFixture(Fixtures.FormNames.First());
                Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(request, Ct)).StatusCode);
                await factory.Services.GetRequiredService<JournalDispatcher>().WaitForDispatchAsync(factory.Journal.HighWaterSequence, Ct);

                var files = Directory.GetFiles(data).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(
                    ["lifeline-grains.db", "lifeline-grains.db-shm", "lifeline-grains.db-wal", "lifeline.db", "lifeline.db-shm", "lifeline.db-wal", "lifeline.db.lock"],
                    files);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
                Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, f!))));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }
}
