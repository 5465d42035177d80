using LifelineRealtime.Domain.Backfill;
using Microsoft.Extensions.Time.Testing;

namespace LifelineRealtime.Domain.Tests.Backfill;

public sealed class GapFinderTests
{
    private static readonly GapRules Rules = new(TimeSpan.FromMinutes(5), TimeSpan.FromDays(30), TimeSpan.FromMinutes(10));
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);
    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    [Fact]
    public void AtStart_AfterLastJournaledEvent_ReadsFromItLessTheOverlapToNow()
    {
        var last = Now.AddHours(-3);
        var gap = GapFinder.AtStart("digi", Ms(last), null, Ms(Now), Rules);
        Assert.Equal(new FillPeriod("digi", Ms(last.AddMinutes(-5)), Ms(Now), FillTriggers.Start), gap);
    }

    [Fact]
    public void AtStart_QuietWindowsCheckedBeforeTheLastEvent_StartsAtTheCheck()
    {
        // Webhooks kept arriving after the last check, but a silence before them was never re-read.
        var checkedAt = Now.AddMinutes(-20);
        var gap = GapFinder.AtStart("digi", Ms(Now.AddMinutes(-2)), Ms(checkedAt), Ms(Now), Rules);
        Assert.Equal(Ms(checkedAt.AddMinutes(-5)), gap!.FromMs);
    }

    [Fact]
    public void AtStart_NewJournal_HasNoGap() =>
        Assert.Null(GapFinder.AtStart("digi", null, null, Ms(Now), Rules));

    [Fact]
    public void Plan_QuietWindow_IsWidenedByTheOverlap()
    {
        var plan = GapFinder.Plan([new FillPeriod("digi", Ms(Now.AddMinutes(-40)), Ms(Now.AddMinutes(-20)), FillTriggers.Quiet)], Ms(Now), Rules);
        Assert.Equal([new FillPeriod("digi", Ms(Now.AddMinutes(-45)), Ms(Now.AddMinutes(-20)), FillTriggers.Quiet)], plan.Fills);
        Assert.Empty(plan.Unrecoverable);
    }

    [Fact]
    public void Plan_OverlappingPeriodsOfAPlatform_AreMergedWithTheirTriggers()
    {
        var plan = GapFinder.Plan(
            [
                new FillPeriod("digi", Ms(Now.AddHours(-2)), Ms(Now.AddHours(-1)), FillTriggers.Retry),
                new FillPeriod("ciss", Ms(Now.AddHours(-2)), Ms(Now), FillTriggers.Start),
                new FillPeriod("digi", Ms(Now.AddMinutes(-70)), Ms(Now.AddMinutes(-30)), FillTriggers.Quiet),
                new FillPeriod("digi", Ms(Now.AddMinutes(-10)), Ms(Now), FillTriggers.Quiet),
            ],
            Ms(Now),
            Rules);
        Assert.Equal(
            [
                new FillPeriod("ciss", Ms(Now.AddHours(-2)), Ms(Now), FillTriggers.Start),
                new FillPeriod("digi", Ms(Now.AddHours(-2)), Ms(Now.AddMinutes(-30)), FillTriggers.Retry | FillTriggers.Quiet),
                new FillPeriod("digi", Ms(Now.AddMinutes(-15)), Ms(Now), FillTriggers.Quiet),
            ],
            plan.Fills);
    }

    [Fact]
    public void Plan_PeriodReachingPastTheLookBack_IsCutAndTheOlderPartUnrecoverable()
    {
        var plan = GapFinder.Plan([new FillPeriod("digi", Ms(Now.AddDays(-32)), Ms(Now.AddDays(-29)), FillTriggers.Start)], Ms(Now), Rules);
        Assert.Equal([new FillPeriod("digi", Ms(Now.AddDays(-30)), Ms(Now.AddDays(-29)), FillTriggers.Start)], plan.Fills);
        Assert.Equal([new FillPeriod("digi", Ms(Now.AddDays(-32)), Ms(Now.AddDays(-30)), FillTriggers.Start)], plan.Unrecoverable);
    }

    [Fact]
    public void Plan_PeriodWhollyOlderThanTheLookBack_IsOnlyUnrecoverable()
    {
        var plan = GapFinder.Plan([new FillPeriod("digi", Ms(Now.AddDays(-40)), Ms(Now.AddDays(-31)), FillTriggers.Retry)], Ms(Now), Rules);
        Assert.Empty(plan.Fills);
        Assert.Single(plan.Unrecoverable);
    }

    [Fact]
    public void Plan_PeriodEndingInTheFuture_EndsNow()
    {
        var plan = GapFinder.Plan([new FillPeriod("digi", Ms(Now.AddHours(-1)), Ms(Now.AddHours(1)), FillTriggers.Manual)], Ms(Now), Rules);
        Assert.Equal(Ms(Now), Assert.Single(plan.Fills).ToMs);
    }

    [Fact]
    public void QuietWindows_SilenceClosedByAnArrival_IsHandedOutOnceFromTheLastArrival()
    {
        var clock = new FakeTimeProvider(Now);
        var windows = new QuietWindows(TimeSpan.FromMinutes(10), Ms(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(1));
        windows.Arrived(Ms(clock.GetUtcNow()));
        var silenceFrom = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(25));
        windows.Arrived(Ms(clock.GetUtcNow()));
        var silenceTo = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(2));
        windows.Arrived(Ms(clock.GetUtcNow()));

        Assert.Equal([(Ms(silenceFrom), Ms(silenceTo))], windows.Take(Ms(clock.GetUtcNow())));
        Assert.Empty(windows.Take(Ms(clock.GetUtcNow())));
    }

    [Fact]
    public void QuietWindows_ShortSilences_AreNotWindows()
    {
        var clock = new FakeTimeProvider(Now);
        var windows = new QuietWindows(TimeSpan.FromMinutes(10), Ms(clock.GetUtcNow()));
        for (var i = 0; i < 12; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(9));
            windows.Arrived(Ms(clock.GetUtcNow()));
        }

        Assert.Empty(windows.Take(Ms(clock.GetUtcNow())));
    }

    [Fact]
    public void QuietWindows_SilenceStillOpen_IsReadToNowAndContinuesFromThereNextTime()
    {
        var clock = new FakeTimeProvider(Now);
        var up = clock.GetUtcNow();
        var windows = new QuietWindows(TimeSpan.FromMinutes(10), Ms(up));
        clock.Advance(TimeSpan.FromMinutes(15));
        var firstRun = clock.GetUtcNow();
        Assert.Equal([(Ms(up), Ms(firstRun))], windows.Take(Ms(firstRun)));
        Assert.Equal(Ms(firstRun), windows.CheckedMs);

        // Still silent, then a webhook: only what follows the last check is read again.
        clock.Advance(TimeSpan.FromMinutes(4));
        windows.Arrived(Ms(clock.GetUtcNow()));
        var arrival = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([(Ms(firstRun), Ms(arrival))], windows.Take(Ms(clock.GetUtcNow())));
    }

    [Fact]
    public void QuietWindows_Returned_AreHandedOutAgain()
    {
        var clock = new FakeTimeProvider(Now);
        var windows = new QuietWindows(TimeSpan.FromMinutes(10), Ms(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(30));
        windows.Arrived(Ms(clock.GetUtcNow()));
        var taken = windows.Take(Ms(clock.GetUtcNow()));
        windows.Return(taken);
        Assert.Equal(taken, windows.Take(Ms(clock.GetUtcNow())));
    }
}
