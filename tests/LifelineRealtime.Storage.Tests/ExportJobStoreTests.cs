using LifelineRealtime.Storage.Exports;
using Microsoft.Data.Sqlite;

namespace LifelineRealtime.Storage.Tests;

public sealed class ExportJobStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jobs_SavedAndUpdated_AreReadBackByAnotherInstanceInTheOrderFirstSaved()
    {
        await using var test = TestJournal.Create();
        var store = new SqliteExportJobStore(test.Path);
        Assert.Null(await store.GetAsync("nope", Ct));
        Assert.Empty(await store.UnfinishedAsync(Ct));

        // Queued in this order; b was queued with an earlier clock (a clock step back) and still runs second.
        await store.SaveAsync(new StoredExportJob("a", 5_000, false, """{"n":1}"""), Ct);
        await store.SaveAsync(new StoredExportJob("b", 1_000, false, """{"n":2}"""), Ct);
        await store.SaveAsync(new StoredExportJob("c", 6_000, false, """{"n":3}"""), Ct);

        // a finishes; c makes progress: an update replaces the job and keeps its place.
        await store.SaveAsync(new StoredExportJob("a", 5_000, true, """{"n":1,"done":true}"""), Ct);
        await store.SaveAsync(new StoredExportJob("c", 6_000, false, """{"n":3,"partitions":4}"""), Ct);

        var reopened = new SqliteExportJobStore(test.Path);
        Assert.Equal(new StoredExportJob("a", 5_000, true, """{"n":1,"done":true}"""), await reopened.GetAsync("a", Ct));
        Assert.Equal(
            [new StoredExportJob("b", 1_000, false, """{"n":2}"""), new StoredExportJob("c", 6_000, false, """{"n":3,"partitions":4}""")],
            await reopened.UnfinishedAsync(Ct));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task FinishedJobs_BeyondTheKeptNumber_TheOldestGoAndUnfinishedOnesStay()
    {
        await using var test = TestJournal.Create();
        var store = new SqliteExportJobStore(test.Path);
        await store.SaveAsync(new StoredExportJob("waiting", 0, false, "{}"), Ct);
        for (var i = 0; i < SqliteExportJobStore.Kept + 5; i++)
        {
            await store.SaveAsync(new StoredExportJob($"done-{i}", i, true, "{}"), Ct);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await store.GetAsync($"done-{i}", Ct));
        }

        Assert.NotNull(await store.GetAsync("done-5", Ct));
        Assert.NotNull(await store.GetAsync($"done-{SqliteExportJobStore.Kept + 4}", Ct));
        Assert.Equal(["waiting"], (await store.UnfinishedAsync(Ct)).Select(j => j.Id));
        SqliteConnection.ClearAllPools();
    }
}
