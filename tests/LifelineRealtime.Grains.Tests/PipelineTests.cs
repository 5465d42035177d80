using System.Collections.Immutable;
using LifelineRealtime.Abstractions.Grains;
using LifelineRealtime.Abstractions.Keys;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Storage.Journal;

namespace LifelineRealtime.Grains.Tests;

/// <summary>Journal → dispatcher → task, worker and stats grains, checked against the offline fold.</summary>
[Collection(nameof(PipelineCollection))]
public sealed class PipelineTests(PipelineClusterFixture fixture)
{
    private static readonly string[] Windows = ["day:2026-11-24", "today", "1h", "15m", "week:2026-W48", "month:2026-11", "range:2026-11-20..2026-11-30"];

    [Fact]
    public async Task Dispatch_FixtureStory_EveryScopeEqualsTheOfflineFold()
    {
        var entries = Fixtures.FormStory(Salt());

        await fixture.IngestAsync(entries);

        await AssertMatchesFoldAsync(entries);
    }

    [Fact]
    public async Task Dispatch_ShuffledWithDuplicates_EqualsTheOfflineFold()
    {
        var entries = Fixtures.FormStory(Salt());
        var random = new Random(7);
        var shuffled = entries.Concat(entries.Take(5)).OrderBy(_ => random.Next()).ToList();

        foreach (var chunk in shuffled.Chunk(3))
        {
            await fixture.IngestAsync(chunk);
        }

        await AssertMatchesFoldAsync(entries);
    }

    [Fact]
    public async Task Redelivery_OfAlreadyAppliedRecords_ChangesNothing()
    {
        var entries = Fixtures.FormStory(Salt());
        await fixture.IngestAsync(entries);
        var sids = entries.Select(e => e.Event.Sid).ToHashSet(StringComparer.Ordinal);
        var records = await fixture.Journal.ReadAfterSequenceAsync(0, 100_000, TestContext.Current.CancellationToken);
        var mine = records.Where(r => sids.Contains(r.EventSid)).ToList();

        // What a restart from an older checkpoint does: the same records reach the same grains again.
        await fixture.Dispatcher.RedeliverAsync(mine);

        await AssertMatchesFoldAsync(entries);
    }

    [Fact]
    public async Task Live_AfterFixtureStory_ShowsOpenTasksAndCurrentActivities()
    {
        var salt = Salt();
        await fixture.IngestAsync(Fixtures.FormStory(salt));
        var grains = fixture.Cluster.GrainFactory;

        // DIGI: task 1 completed, task 2 abandoned; nothing is open in their queues any more.
        var digiQueue = await grains.GetGrain<IStatsGrain>(new StatsKey("digi", Domain.Metrics.ScopeKind.Queue, Fixtures.Sid("WQ000000000000000000000000000d1001", salt)).ToGrainKey()).GetLiveAsync();
        var blake = await grains.GetGrain<IStatsGrain>(new StatsKey("digi", Domain.Metrics.ScopeKind.Worker, Fixtures.Sid("WK000000000000000000000000000b1a6e", salt)).ToGrainKey()).GetLiveAsync();

        Assert.Equal((0, 0, 0, 0, 0), (digiQueue.Tasks.Pending, digiQueue.Tasks.Reserved, digiQueue.Tasks.Assigned, digiQueue.Tasks.Wrapping, digiQueue.Tasks.Stuck));
        var offline = Assert.Single(blake.Workers);
        Assert.Equal("Offline", offline.Activity);
        var member = Assert.Single(offline.Members);
        Assert.Equal("Blake Example", member.Name);
        // Offline since 10:00:35.020 AEDT; the clock reads 10:30:00.
        Assert.Equal(1764.98, member.SecondsInActivity, 3);
        Assert.Equal(PipelineClusterFixture.Now, blake.AsOf);
    }

    [Fact]
    public async Task Checkpoint_AfterTasksFinish_DeactivatesTheirGrainsAndKeepsOpenOnes()
    {
        var salt = Salt();
        var entries = Fixtures.FormStory(salt);
        var grains = fixture.Cluster.GrainFactory;
        var completed = grains.GetGrain<ITaskGrain>(new EntityKey("digi", Fixtures.Sid("WT000000000000000000000000d1000001", salt)).ToGrainKey()).GetGrainId();
        var canceled = grains.GetGrain<ITaskGrain>(new EntityKey("digi", Fixtures.Sid("WT000000000000000000000000d1000002", salt)).ToGrainKey()).GetGrainId();
        var open = grains.GetGrain<ITaskGrain>(new EntityKey("ciss", Fixtures.Sid("WT000000000000000000000000c1000003", salt)).ToGrainKey()).GetGrainId();
        var management = grains.GetGrain<IManagementGrain>(0);
        using var deactivations = new GrainDeactivations([completed, canceled]);

        // The dispatcher checkpoints once the journal is drained; deactivation follows the flush.
        await fixture.IngestAsync(entries);
        await deactivations.All.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var active = await management.GetActiveGrains(open.Type, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(completed, active);
        Assert.DoesNotContain(canceled, active);
        Assert.Contains(open, active);
        await AssertMatchesFoldAsync(entries);
    }

    private async Task AssertMatchesFoldAsync(List<JournalEntry> entries)
    {
        foreach (var platform in new[] { "ciss", "digi" })
        {
            var settings = fixture.Platforms.Get(platform);
            var fold = OfflineFold.Run(settings, Fixtures.Events(entries, platform));
            foreach (var (scope, statistics) in fold.Scopes)
            {
                if (scope.Kind == Domain.Metrics.ScopeKind.Platform)
                {
                    continue; // shared by every test in the collection; checked through its own scopes
                }

                var grain = fixture.Cluster.GrainFactory.GetGrain<IStatsGrain>(new StatsKey(platform, scope.Kind, scope.Id).ToGrainKey());
                var actual = await grain.GetMetricsAsync([.. Windows]);
                var expected = Windows.Select(w => statistics.Snapshot(MetricWindow.Parse(w).Resolve(settings, PipelineClusterFixture.Now.ToUnixTimeMilliseconds()))).ToImmutableArray();
                Assert.Equal(expected, actual);

                var logged = await grain.GetLoggedStatusAsync("day:2026-11-24");
                var expectedLogged = statistics.LoggedStatus(MetricWindow.Parse("day:2026-11-24").Resolve(settings, PipelineClusterFixture.Now.ToUnixTimeMilliseconds()));
                Assert.Equal(expectedLogged.Activities, logged.Activities);
                Assert.Equal(expectedLogged.LoggedInSeconds, logged.LoggedInSeconds);
            }
        }
    }

    private static string Salt() => Guid.NewGuid().ToString("N")[..4];
}

[CollectionDefinition(nameof(PipelineCollection))]
public sealed class PipelineCollection : ICollectionFixture<PipelineClusterFixture>;
