using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Journal;
using LifelineRealtime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>
/// SIGKILL the real host in the middle of a re-export of ten days: every partition a reader can see is one export
/// whole (the previous one or the new one), and the next start puts back anything a swap set aside and runs the
/// export again to its end.
/// </summary>
public sealed partial class ExportCrashTests
{
    private const int Days = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Host_KilledMidExport_PartitionsStayWhole_TheExportRunsAgainAtTheNextStart()
    {
        var databasePath = Path.Combine(TestData.Root, $"export-crash-{Guid.NewGuid():N}.db");
        var settings = TestPlatforms.Settings(databasePath);
        settings["Logging:LogLevel:LifelineRealtime.Host.Exports"] = "Information";
        var arguments = TestPlatforms.Arguments(settings).ToList();
        var root = settings["Lifeline:Exports:Path"]!;
        var first = SimulatedDay.Yesterday.AddDays(-Days - 1);
        var last = first.AddDays(Days - 1);
        var request = new { from = ExportReading.Date(first), to = ExportReading.Date(last), platforms = new[] { "digi" } };
        try
        {
            var journaled = await FillAsync(databasePath, first);
            string exportId;
            Dictionary<string, byte[]> previous;
            using (var host = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), Ct))
            {
                using var client = host.CreateClient();

                // The previous export of every partition, whole.
                var done = await WaitAsync(host, client, await StartAsync(client, request), ExportState.Succeeded);
                Assert.Equal(Days * ExportTables.All.Length, done.PartitionsDone);
                previous = Partitions(root).ToDictionary(p => p, p => File.ReadAllBytes(Path.Combine(root, p, PartitionManifest.FileName)), StringComparer.Ordinal);
                Assert.Equal(Days * ExportTables.All.Length, previous.Count);

                // The same days again; killed once three of its days are written, while the fourth is being written.
                exportId = await StartAsync(client, request);
                await host.LineAsync(DayExported(), Days + 3).WaitAsync(TimeSpan.FromMinutes(2), Ct);
                host.Kill();
            }

            // What a reader sees now: each partition is one whole export; some are already the new one, the rest the previous one.
            var replaced = 0;
            foreach (var (partition, manifest) in previous)
            {
                var folder = Path.Combine(root, partition);
                if (!Directory.Exists(folder))
                {
                    // Killed between the swap's two renames: the previous partition is set aside whole, and put back at the next start.
                    var parent = Path.GetDirectoryName(folder)!;
                    var aside = Assert.Single(Directory.GetDirectories(parent, $"_old-{Path.GetFileName(folder)}-*"));
                    AssertWhole(aside);
                    continue;
                }

                AssertWhole(folder);
                replaced += File.ReadAllBytes(Path.Combine(folder, PartitionManifest.FileName)).AsSpan().SequenceEqual(manifest) ? 0 : 1;
            }

            Assert.InRange(replaced, 3 * ExportTables.All.Length, previous.Count - 1);

            // The next start runs the export again, from its start, to its end.
            using var restarted = await HostProcess.StartAsync(arguments, TimeSpan.FromSeconds(60), Ct);
            using var again = restarted.CreateClient();
            var status = await WaitAsync(restarted, again, exportId, ExportState.Succeeded);
            Assert.Equal((2, Days * ExportTables.All.Length, (string?)null), (status.Attempts, status.PartitionsDone, status.Error));
            foreach (var (partition, manifest) in previous)
            {
                var folder = Path.Combine(root, partition);
                AssertWhole(folder);
                Assert.False(File.ReadAllBytes(Path.Combine(folder, PartitionManifest.FileName)).AsSpan().SequenceEqual(manifest), $"{partition} was not exported again");
            }

            Assert.Empty(Directory.GetDirectories(root, "_*", SearchOption.AllDirectories));

            // And an independent reader finds every journaled event of the ten days exactly once.
            Assert.Equal((long)journaled, (long)ExportReading.Scalar(root, ExportTables.Events, "SELECT count(DISTINCT event_sid)::BIGINT FROM t")!);
            Assert.Equal((long)journaled, (long)ExportReading.Scalar(root, ExportTables.Events, "SELECT count(*)::BIGINT FROM t")!);
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Ten days of light DIGI traffic journaled before the host starts; answers how many events fall in those local days.</summary>
    private static async Task<int> FillAsync(string databasePath, DateOnly first)
    {
        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        await using var journal = new SqliteEventJournal(
            new SqliteJournalOptions { Path = databasePath, Durability = JournalDurability.Normal },
            TimeProvider.System, new JournalInstruments(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), NullLogger<SqliteEventJournal>.Instance);
        var (entries, _) = SimulatedDay.Entries(first, new TimeOnly(0, 0), TimeSpan.FromDays(Days), o => (o.Workers, o.Teams, o.PeakArrivalsPerHour) = (6, 2, 8));
        await journal.AppendAsync(entries);
        var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), SimulatedDay.Zone.GetUtcOffset(first.ToDateTime(TimeOnly.MinValue))).ToUnixTimeMilliseconds();
        var endLocal = first.AddDays(Days).ToDateTime(TimeOnly.MinValue);
        var end = new DateTimeOffset(endLocal, SimulatedDay.Zone.GetUtcOffset(endLocal)).ToUnixTimeMilliseconds();
        return entries.Count(e => e.Event.TimestampMs >= start && e.Event.TimestampMs < end);
    }

    private static async Task<string> StartAsync(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/admin/exports", UriKind.Relative), request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ExportStatus>(Ct))!.Id;
    }

    /// <summary>Waits for the host's log line that the export has ended, then reads its status.</summary>
    private static async Task<ExportStatus> WaitAsync(HostProcess host, HttpClient client, string id, ExportState expected)
    {
        await host.LineAsync(new Regex($"Export {id} (Succeeded|Failed|Canceled): ")).WaitAsync(TimeSpan.FromMinutes(3), Ct);
        var status = (await client.GetFromJsonAsync<ExportStatus>(new Uri($"/api/admin/exports/{id}", UriKind.Relative), Ct))!;
        Assert.True(status.State == expected, $"export {id} ended {status.State}: {status.Error}");
        return status;
    }

    /// <summary>Every partition folder (<c>table/platform=…/date=…</c>), relative to the root.</summary>
    private static IEnumerable<string> Partitions(string root) =>
        Directory.GetDirectories(root, "date=*", SearchOption.AllDirectories).Select(d => Path.GetRelativePath(root, d));

    /// <summary>A partition is whole when its manifest lists exactly the files beside it, each with its size and hash.</summary>
    private static void AssertWhole(string folder)
    {
        var manifest = PartitionManifest.Parse(File.ReadAllBytes(Path.Combine(folder, PartitionManifest.FileName)))!;
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n != PartitionManifest.FileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(manifest.Files.Select(f => f.Name).Order(StringComparer.Ordinal), files);
        foreach (var file in manifest.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(folder, file.Name));
            Assert.Equal(file.Bytes, bytes.Length);
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [GeneratedRegex(@"Exported digi \d{4}-\d{2}-\d{2}: ")]
    private static partial Regex DayExported();
}
