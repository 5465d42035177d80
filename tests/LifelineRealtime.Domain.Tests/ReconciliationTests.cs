using LifelineRealtime.Domain.Reconciliation;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;

namespace LifelineRealtime.Domain.Tests;

public sealed class ReconciliationTests
{
    private static readonly TimeZoneInfo Sydney = TimeZoneInfo.FindSystemTimeZoneById("Australia/Sydney");

    private static MetricValues Totals(long offered, long handled, long abandoned, long reservations, long rejected, long timedOut, long transferred, double waitSum) =>
        new(offered, handled, abandoned, reservations, rejected, timedOut, transferred,
            new DurationStats(handled, waitSum, null, null, null, null), DurationStats.Empty, DurationStats.Empty, DurationStats.Empty, DurationStats.Empty,
            0, 0, null, null, null, null, null);

    [Fact]
    public void Ours_MapsEachTaskRouterFigureToItsQueueMeasure()
    {
        var ours = ReconciliationMapping.Ours(Totals(offered: 10, handled: 7, abandoned: 2, reservations: 12, rejected: 3, timedOut: 1, transferred: 4, waitSum: 321.456));

        Assert.Equal(new QueueFigures(TasksEntered: 10, TasksCanceled: 2, ReservationsCreated: 12, ReservationsAccepted: 7, ReservationsRejected: 3, ReservationsTimedOut: 1,
            WaitDurationUntilAcceptedTotalSeconds: 321.456), ours);
    }

    [Fact]
    public void Mapping_NamesEveryMeasureOnceInTaskRoutersTerms_WithOursAndTheKnownDifference()
    {
        Assert.Equal(
            ["tasks_entered", "tasks_canceled", "reservations_created", "reservations_accepted", "reservations_rejected", "reservations_timed_out", "wait_duration_until_accepted.total"],
            ReconciliationMapping.All.Select(m => m.Name));
        Assert.Equal(
            ["totals.offered", "totals.abandoned", "totals.reservations", "totals.handled", "totals.rejected", "totals.timedOut", "totals.waitSeconds.sum"],
            ReconciliationMapping.All.Select(m => m.Ours));
        Assert.All(ReconciliationMapping.All, m => Assert.Equal(m, ReconciliationMapping.Of(m.Measure)));
        Assert.All(ReconciliationMapping.All, m => Assert.False(string.IsNullOrWhiteSpace(m.KnownDifference)));
        Assert.Equal([ReconciledMeasure.WaitDurationUntilAcceptedTotal], ReconciliationMapping.All.Where(m => m.IsDuration).Select(m => m.Measure));
    }

    [Fact]
    public void Compare_EqualFigures_AreAllWithinWithNoDifference()
    {
        var figures = new QueueFigures(10, 2, 12, 7, 3, 1, 321.456);

        var result = QueueReconciliation.Compare(figures, figures, ReconciliationTolerance.Default);

        Assert.Equal(7, result.Length);
        Assert.All(result, m => Assert.True(m.Within));
        Assert.All(result, m => Assert.Equal(0, m.Difference));
    }

    [Theory]
    // Counts: ±0 or 1% of TaskRouter's figure.
    [InlineData(10, 10, true)]
    [InlineData(11, 10, false)]
    [InlineData(9, 10, false)]
    [InlineData(201, 200, true)]
    [InlineData(203, 200, false)]
    [InlineData(0, 0, true)]
    [InlineData(1, 0, false)]
    public void Compare_Counts_AreWithinZeroOrOnePercentOfTaskRouters(long ours, long theirs, bool within)
    {
        var result = QueueReconciliation.Compare(
            new QueueFigures(ours, 0, 0, 0, 0, 0, 0), new QueueFigures(theirs, 0, 0, 0, 0, 0, 0), ReconciliationTolerance.Default);

        var entered = result.Single(m => m.Measure == "tasks_entered");
        Assert.Equal((double)ours, entered.Ours);
        Assert.Equal((double)theirs, entered.Theirs);
        Assert.Equal((double)(ours - theirs), entered.Difference);
        Assert.Equal(within, entered.Within);
    }

    [Theory]
    // The wait total: ±1 s or 1%: TaskRouter reports whole seconds, we keep milliseconds.
    [InlineData(49.999, 49, true)]
    [InlineData(50.001, 49, false)]
    [InlineData(48.2, 49, true)]
    [InlineData(1009.9, 1000, true)]
    [InlineData(1010.001, 1000, false)]
    public void Compare_WaitTotal_IsWithinOneSecondOrOnePercent(double ours, double theirs, bool within)
    {
        var result = QueueReconciliation.Compare(
            new QueueFigures(0, 0, 0, 0, 0, 0, ours), new QueueFigures(0, 0, 0, 0, 0, 0, theirs), ReconciliationTolerance.Default);

        var wait = result.Single(m => m.Measure == "wait_duration_until_accepted.total");
        Assert.Equal(Math.Round(ours - theirs, 3), wait.Difference);
        Assert.Equal(Math.Max(1, theirs * 0.01), wait.Allowed, 9);
        Assert.Equal(within, wait.Within);
    }

    [Fact]
    public void Compare_AMeasuresOwnTolerance_OverridesTheCountsOne()
    {
        var tolerance = ReconciliationTolerance.Default with
        {
            ByMeasure = new Dictionary<string, MeasureTolerance> { ["reservations_accepted"] = new(2, 0) },
        };

        var result = QueueReconciliation.Compare(new QueueFigures(11, 0, 0, 12, 0, 0, 0), new QueueFigures(10, 0, 0, 10, 0, 0, 0), tolerance);

        Assert.False(result.Single(m => m.Measure == "tasks_entered").Within);
        Assert.True(result.Single(m => m.Measure == "reservations_accepted").Within);
    }

    [Fact]
    public void Schedule_BeforeRunAt_RunsTodayForYesterday_InThePlatformsZone()
    {
        // 01:00 in Sydney on 7 December (AEDT, +11) is 14:00 UTC on 6 December.
        var now = new DateTimeOffset(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);

        var (at, day) = ReconciliationSchedule.Next(now, Sydney, new TimeOnly(2, 30));

        Assert.Equal(new DateTimeOffset(2026, 12, 7, 2, 30, 0, TimeSpan.FromHours(11)), at);
        Assert.Equal(new DateOnly(2026, 12, 6), day);
    }

    [Fact]
    public void Schedule_AtOrAfterRunAt_RunsTomorrowForToday()
    {
        var runAt = new DateTimeOffset(2026, 12, 7, 2, 30, 0, TimeSpan.FromHours(11));

        Assert.Equal((runAt.AddDays(1), new DateOnly(2026, 12, 7)), ReconciliationSchedule.Next(runAt, Sydney, new TimeOnly(2, 30)));
        Assert.Equal((runAt.AddDays(1), new DateOnly(2026, 12, 7)), ReconciliationSchedule.Next(runAt.AddHours(5), Sydney, new TimeOnly(2, 30)));
    }

    [Fact]
    public void Schedule_ARunAtSkippedByDaylightSaving_RunsAtTheFirstValidMinute()
    {
        // Sydney skips 02:00–03:00 on 4 October 2026.
        var now = new DateTimeOffset(2026, 10, 4, 1, 0, 0, TimeSpan.FromHours(10));

        var (at, day) = ReconciliationSchedule.Next(now, Sydney, new TimeOnly(2, 30));

        Assert.Equal(new DateTimeOffset(2026, 10, 4, 3, 0, 0, TimeSpan.FromHours(11)), at);
        Assert.Equal(new DateOnly(2026, 10, 3), day);
    }

    [Fact]
    public void Schedule_ARunAtThatOccursTwice_RunsAtTheFirst()
    {
        // Sydney repeats 02:00–03:00 on 5 April 2026 (+11, then +10).
        var now = new DateTimeOffset(2026, 4, 5, 1, 0, 0, TimeSpan.FromHours(11));

        var (at, _) = ReconciliationSchedule.Next(now, Sydney, new TimeOnly(2, 30));

        Assert.Equal(new DateTimeOffset(2026, 4, 5, 2, 30, 0, TimeSpan.FromHours(11)), at);
    }
}
