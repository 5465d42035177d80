using System.Net;
using System.Net.Http.Json;
using LifelineRealtime.Host.Exports;
using LifelineRealtime.Host.Tests.Pages;
using LifelineRealtime.Host.Tests.Support;
using LifelineRealtime.Storage.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace LifelineRealtime.Host.Tests.Exports;

/// <summary>Export jobs outlive the engine: their status answers after a restart, and what a run left unfinished runs at the next start.</summary>
public sealed class ExportResumeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_JobsLeftUnfinishedRunAgain_OneRunningAtThreeDeathsFails_FinishedOnesStillAnswer()
    {
        var databasePath = LifelineHostFactory.NewDatabasePath();
        var day = SimulatedDay.Yesterday;
        ExportJob queued, diedOnce, diedThrice, finished;
        try
        {
            await using (var first = new LifelineHostFactory(databasePath: databasePath))
            {
                await SimulatedDay.AppendAsync(first, day, new TimeOnly(9, 0), TimeSpan.FromHours(4), o => (o.Workers, o.Teams, o.PeakArrivalsPerHour) = (6, 2, 12), Ct);
                var store = first.Services.GetRequiredService<IExportJobStore>();
                var at = DateTimeOffset.UtcNow;

                // What an earlier run left in the store: as the engine leaves it when it dies (no shutdown code runs).
                finished = new ExportJob("request", [("digi", day)], [ExportTables.DailyMetrics], at);
                finished.Update(s => s with { State = ExportState.Succeeded, Attempts = 1, PartitionsDone = 1, StartedAt = at, FinishedAt = at });
                diedThrice = new ExportJob("request", [("digi", day)], [ExportTables.Events], at);
                diedThrice.Update(s => s with { State = ExportState.Running, Attempts = ExportQueue.MaxAttempts, StartedAt = at });
                diedOnce = new ExportJob("request", [("digi", day), ("digi", day.AddDays(-1))], [ExportTables.Conversations, ExportTables.Reservations], at);
                diedOnce.Update(s => s with { State = ExportState.Running, Attempts = 1, PartitionsDone = 3, StartedAt = at });
                queued = new ExportJob("request", [("digi", day)], [ExportTables.WorkerActivity], at);
                foreach (var job in new[] { finished, diedThrice, diedOnce, queued })
                {
                    await store.SaveAsync(job.ToStored(), Ct);
                }

                // And one this version cannot read (a form from elsewhere): it must not stop the others, nor the engine.
                await store.SaveAsync(new StoredExportJob("unreadable000000", at.ToUnixTimeMilliseconds(), false, """{"status":"not an object"}"""), Ct);
            }

            await using var second = new LifelineHostFactory(databasePath: databasePath);
            var queue = second.Services.GetRequiredService<ExportQueue>();
            using var client = second.CreateClient();
            foreach (var id in new[] { diedOnce.Id, queued.Id, diedThrice.Id })
            {
                await (await queue.FindAsync(id, Ct))!.Completion.WaitAsync(TimeSpan.FromMinutes(2), Ct);
            }

            async Task<ExportStatus> Status(string id)
            {
                using var response = await client.GetAsync(new Uri($"/api/admin/exports/{id}", UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (await response.Content.ReadFromJsonAsync<ExportStatus>(Ct))!;
            }

            var resumed = await Status(diedOnce.Id);
            Assert.Equal((ExportState.Succeeded, 2, 4, 4, (string?)null), (resumed.State, resumed.Attempts, resumed.PartitionsDone, resumed.PartitionsTotal, resumed.Error));
            var ran = await Status(queued.Id);
            Assert.Equal((ExportState.Succeeded, 1, 1), (ran.State, ran.Attempts, ran.PartitionsDone));
            var abandoned = await Status(diedThrice.Id);
            Assert.Equal((ExportState.Failed, ExportQueue.MaxAttempts, 0), (abandoned.State, abandoned.Attempts, abandoned.PartitionsDone));
            Assert.Contains("3 times", abandoned.Error, StringComparison.Ordinal);
            var earlier = await Status(finished.Id);
            Assert.Equal((ExportState.Succeeded, 1, 1, finished.Status.FinishedAt), (earlier.State, earlier.Attempts, earlier.PartitionsDone, earlier.FinishedAt));
            Assert.Equal([ExportTables.DailyMetrics], earlier.Tables);

            // The resumed job's partitions are there and whole.
            var sink = second.Services.GetRequiredService<ExportSinks>().Pseudonymous;
            foreach (var (table, date) in new[] { (ExportTables.Conversations, day), (ExportTables.Reservations, day.AddDays(-1)), (ExportTables.WorkerActivity, day) })
            {
                Assert.NotNull(await sink.ReadManifestAsync(new PartitionPath(table, "digi", date), Ct));
            }

            Assert.Null(await sink.ReadManifestAsync(new PartitionPath(ExportTables.Events, "digi", day), Ct));
            var unreadable = await second.Services.GetRequiredService<IExportJobStore>().GetAsync("unreadable000000", Ct);
            Assert.True(unreadable!.Finished, "an unreadable export is set aside, not looked at again at every start");
            using (var notReadable = await client.GetAsync(new Uri("/api/admin/exports/unreadable000000", UriKind.Relative), Ct))
            {
                Assert.Equal(HttpStatusCode.NotFound, notReadable.StatusCode);
            }

            using var unknown = await client.GetAsync(new Uri("/api/admin/exports/0000000000000000", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        finally
        {
            LifelineHostFactory.DeleteFiles(databasePath);
        }
    }

    [Fact]
    public async Task JournalCannotBeOpened_ExportRequestIs503_ThenQueuedAndRunOnceItCan()
    {
        await using var blocked = BlockedJournal.Create("exports-unwritable");
        var factory = blocked.Factory;
        using var client = factory.CreateClient();
        var request = new { from = "2026-01-01", to = "2026-01-01", tables = new[] { ExportTables.DailyMetrics }, platforms = new[] { "ciss" } };

        using (var refused = await client.PostAsJsonAsync(new Uri("/api/admin/exports", UriKind.Relative), request, Ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("could not be stored", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The folder can be made now: the journal opens by itself, and the same request is queued and runs.
        blocked.Unblock();
        await Readiness.WaitForAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        using var response = await client.PostAsJsonAsync(new Uri("/api/admin/exports", UriKind.Relative), request, Ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.Content.ReadFromJsonAsync<ExportStatus>(Ct);
        Assert.NotNull(queued);
        var job = (await factory.Services.GetRequiredService<ExportQueue>().FindAsync(queued.Id, Ct))!;
        await job.Completion.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        Assert.Equal((ExportState.Succeeded, 1), (job.Status.State, job.Status.PartitionsDone));
    }
}
