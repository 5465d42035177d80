using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;
using Microsoft.Extensions.Time.Testing;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

public sealed class WorkerTimelineTests
{
    [Fact]
    public void FixtureActivityUpdate_ClosesAvailable_AndOpensOffline()
    {
        var update = Events().OfType<LifelineRealtime.Domain.TaskRouter.WorkerEvent>().Single();
        var timeline = new WorkerTimeline(Blake, TestEvents.Digi);

        timeline.Apply(update);

        var interval = Assert.Single(timeline.Contribution.Intervals);
        Assert.Equal(new ActivityInterval(Blake, "Team A", "Available", T0 + 35_020 - 5_412_318, T0 + 35_020), interval);
        Assert.Equal(new OpenActivity(Blake, "Team A", "Offline", T0 + 35_020), timeline.Contribution.Open);
    }

    [Fact]
    public void OverlappingAndDuplicateUpdates_AreUnioned()
    {
        var ev = new TestEvents();
        var timeline = new WorkerTimeline("WK1", TestEvents.Digi);
        var a = ev.Activity("WK1", "Team A", T0 + 60_000, "Break", "Available", 60_000);
        timeline.Apply(a);
        timeline.Apply(a);
        // A second report of the same stretch (different Sid) overlapping the first.
        timeline.Apply(ev.Activity("WK1", "Team A", T0 + 40_000, "Available", "Available", 50_000));

        Assert.Equal([new ActivityInterval("WK1", "Team A", "Available", T0 - 10_000, T0 + 60_000)], timeline.Contribution.Intervals);
    }

    [Fact]
    public void LoggedStatus_OpenIntervalCountsUpToNow_FromTheTimeProvider()
    {
        var ev = new TestEvents();
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 120_000));
        var result = OfflineFold.Run(TestEvents.Digi, [ev.Activity("WK1", "Team A", T0 + 60_000, "Available", "Offline", 600_000)]);
        var statistics = result.Scope(ScopeKey.Worker("WK1"));

        var first = statistics.LoggedStatus(MetricWindow.FifteenMinutes.Resolve(TestEvents.Digi, clock.GetUtcNow().ToUnixTimeMilliseconds()));
        clock.Advance(TimeSpan.FromSeconds(30));
        var second = statistics.LoggedStatus(MetricWindow.FifteenMinutes.Resolve(TestEvents.Digi, clock.GetUtcNow().ToUnixTimeMilliseconds()));

        Assert.Equal(60, first.LoggedInSeconds);
        Assert.Equal(100, first.Activities["Available"].Percent);
        // 15m window starts at T0 − 14 min; Offline covered [T0 − 9 min, T0 + 1 min].
        Assert.Equal(600, first.Activities["Offline"].Seconds);
        Assert.Null(first.Activities["Offline"].Percent);
        Assert.Equal(90, second.LoggedInSeconds);
    }

    [Fact]
    public void ActivitySpanningMidnight_SplitsExactlyAtTheLocalDayBoundary()
    {
        var ev = new TestEvents();
        const long midnight = 1_795_525_200_000; // 2026-11-25 00:00 AEDT
        var result = OfflineFold.Run(TestEvents.Digi, [ev.Activity("WK1", "Team A", midnight + 90_500, "Offline", "Available", 3_600_000)]);
        var statistics = result.Scope(ScopeKey.Team("Team A"));

        var first = statistics.LoggedStatus(MetricWindow.Parse("day:2026-11-24").Resolve(TestEvents.Digi, midnight + 100_000));
        var second = statistics.LoggedStatus(MetricWindow.Parse("day:2026-11-25").Resolve(TestEvents.Digi, midnight + 100_000));

        Assert.Equal(3_509.5, first.Activities["Available"].Seconds);
        Assert.Equal(90.5, second.Activities["Available"].Seconds);
        Assert.Equal(9.5, second.Activities["Offline"].Seconds);
    }

    [Fact]
    public void DaylightSavingDays_HoldTwentyThreeAndTwentyFiveHours_OfActivity()
    {
        var ev = new TestEvents();
        const long octoberDayStart = 1_791_036_000_000;
        const long aprilDayStart = 1_775_307_600_000;
        var result = OfflineFold.Run(TestEvents.Digi,
        [
            ev.Activity("WK1", "Team A", octoberDayStart + (30 * 3_600_000), "Offline", "Available", 40 * 3_600_000),
            ev.Activity("WK2", "Team A", aprilDayStart + (30 * 3_600_000), "Offline", "Available", 40 * 3_600_000),
        ]);

        var october = result.Scope(ScopeKey.Worker("WK1")).LoggedStatus(MetricWindow.Parse("day:2026-10-04").Resolve(TestEvents.Digi, octoberDayStart));
        var april = result.Scope(ScopeKey.Worker("WK2")).LoggedStatus(MetricWindow.Parse("day:2026-04-05").Resolve(TestEvents.Digi, aprilDayStart));

        Assert.Equal(23 * 3600, october.LoggedInSeconds);
        Assert.Equal(25 * 3600, april.LoggedInSeconds);
    }

    [Fact]
    public void Prune_DropsOldEvents_ButKeepsTheLatest()
    {
        var ev = new TestEvents();
        var timeline = new WorkerTimeline("WK1", TestEvents.Digi);
        timeline.Apply(ev.Activity("WK1", "Team A", T0, "Break", "Available", 1_000));
        timeline.Apply(ev.Activity("WK1", "Team A", T0 + 10_000, "Available", "Break", 10_000));

        timeline.Prune(T0 + 20_000);

        Assert.Equal(1, timeline.EventCount);
        Assert.False(timeline.Apply(ev.Activity("WK1", "Team A", T0 + 5_000, "Offline", "Available", 1_000)));
        Assert.Equal("Available", timeline.Contribution.Open!.Activity);
    }
}
