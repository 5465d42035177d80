using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Platforms;
using LifelineRealtime.Domain.Snapshots;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

/// <summary>Hand-computed design §5 rows, task side and reservation side, over the fixture story and variations.</summary>
public sealed class MetricsScenarioTests
{
    private const long Now = T0 + 3_600_000;

    internal static MetricsSnapshot Day(FoldResult result, ScopeKey scope, string day = "2026-11-24") =>
        result.Scope(scope).Snapshot(MetricWindow.Parse("day:" + day).Resolve(result.Settings, Now));

    [Fact]
    public void FixtureStory_PlatformDay_CountsEveryTaskSideMeasure()
    {
        var result = OfflineFold.Run(TestEvents.Digi, Events());

        var totals = Day(result, ScopeKey.Platform("digi")).Totals;

        Assert.Equal(2, totals.Offered);
        Assert.Equal(1, totals.Handled);
        Assert.Equal(1, totals.Abandoned);
        Assert.Equal(3, totals.Reservations);
        Assert.Equal(1, totals.Rejected);
        Assert.Equal(1, totals.TimedOut);
        Assert.Equal(0, totals.Transferred);
        Assert.Equal(new DurationStats(1, 49.25, 49.25, 49.25, 49.25, 49.25), totals.WaitSeconds);
        Assert.Equal(new DurationStats(1, 97, 97, 97, 97, 97), totals.AbandonedWaitSeconds);
        Assert.Equal(new DurationStats(1, 1200, 1200, 1200, 1200, 1200), totals.TalkSeconds);
        Assert.Equal(new DurationStats(1, 135.5, 135.5, 135.5, 135.5, 135.5), totals.WrapSeconds);
        Assert.Equal(new DurationStats(1, 1335.5, 1335.5, 1335.5, 1335.5, 1335.5), totals.HandleSeconds);
        Assert.Equal(0, totals.ShortAbandoned);
        Assert.Equal(0, totals.AnsweredInThreshold);
        Assert.Equal(0.333333, totals.RejectRate);
        Assert.Equal(0.333333, totals.TimeoutRate);
        Assert.Equal(0, totals.TransferRate);
        Assert.Equal(0.5, totals.AbandonRate);
        Assert.Equal(0, totals.ServiceLevel);
    }

    [Fact]
    public void FixtureStory_BySupportType_SplitsImminentAndSupport()
    {
        var result = OfflineFold.Run(TestEvents.Digi, Events());

        var snapshot = Day(result, ScopeKey.Platform("digi"));

        Assert.Equal(["check_in", "check_out", "debrief", "imminent", "safety", "support", "technical_support"], snapshot.BySupportType.Keys);
        Assert.Equal(1, snapshot.BySupportType["imminent"].Handled);
        Assert.Equal(0, snapshot.BySupportType["imminent"].Abandoned);
        Assert.Equal(1, snapshot.BySupportType["support"].Abandoned);
        Assert.Equal(1.0, snapshot.BySupportType["support"].AbandonRate);
        Assert.Equal(0, snapshot.BySupportType["support"].ServiceLevel);
        Assert.Equal(0, snapshot.BySupportType["safety"].Offered);
        Assert.Null(snapshot.BySupportType["safety"].ServiceLevel);
    }

    [Fact]
    public void FixtureStory_QueueScopes_UseEachTasksFirstQueue()
    {
        var result = OfflineFold.Run(TestEvents.Digi, Events());

        var imminent = Day(result, ScopeKey.Queue(ImminentQueue)).Totals;
        var support = Day(result, ScopeKey.Queue(SupportQueue)).Totals;

        Assert.Equal((1, 1, 0, 3, 1, 1), (imminent.Offered, imminent.Handled, imminent.Abandoned, imminent.Reservations, imminent.Rejected, imminent.TimedOut));
        Assert.Equal((1, 0, 1, 0), (support.Offered, support.Handled, support.Abandoned, support.Reservations));
        Assert.Equal(97, support.AbandonedWaitSeconds.Sum);
    }

    [Fact]
    public void FixtureStory_WorkerAndTeam_BookReservationSideMeasures()
    {
        var result = OfflineFold.Run(TestEvents.Digi, Events());

        var alex = Day(result, ScopeKey.Worker(Alex)).Totals;
        var blake = Day(result, ScopeKey.Worker(Blake)).Totals;
        var casey = Day(result, ScopeKey.Worker(Casey)).Totals;
        var teamA = Day(result, ScopeKey.Team("Team A")).Totals;
        var teamB = Day(result, ScopeKey.Team("Team B")).Totals;

        Assert.Equal((0, 1, 0, 1, 0, 0), (alex.Offered, alex.Handled, alex.Abandoned, alex.Reservations, alex.Rejected, alex.TimedOut));
        Assert.Equal(new DurationStats(1, 49.25, 49.25, 49.25, 49.25, 49.25), alex.WaitSeconds);
        // reservation.accepted → reservation.wrapup (50 ms after task.wrapup), → reservation.completed.
        Assert.Equal(1200.05, alex.TalkSeconds.Sum);
        Assert.Equal(135.5, alex.WrapSeconds.Sum);
        Assert.Equal(1335.55, alex.HandleSeconds.Sum);
        Assert.Equal(DurationStats.Empty, alex.AbandonedWaitSeconds);
        Assert.Equal((1, 0, 1, 0), (blake.Reservations, blake.Handled, blake.TimedOut, blake.Rejected));
        Assert.Equal((1, 0, 0, 1), (casey.Reservations, casey.Handled, casey.TimedOut, casey.Rejected));
        Assert.Equal((0, 2, 1, 0, 1), (teamA.Offered, teamA.Reservations, teamA.Handled, teamA.Rejected, teamA.TimedOut));
        Assert.Equal(0.5, teamA.TimeoutRate);
        Assert.Null(teamA.ServiceLevel);
        Assert.Null(teamA.AbandonRate);
        Assert.Equal((1, 1, 1.0), (teamB.Reservations, teamB.Rejected, teamB.RejectRate));
    }

    [Fact]
    public void AnsweredInThreshold_UsesTheSupportTypesThreshold_ElseDefault()
    {
        var ev = new TestEvents();
        const long t = T0;
        var events = new List<TaskRouterEvent>
        {
            // imminent: 20 s threshold, answered at 20.000 s (in) ; safety: 30 s, answered at 30.001 s (out);
            // support: default 60 s, answered at 59 s (in).
            ev.Created("WT1", t, "imminent"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR1", "WK1", "Team A", t + 20_000, "WQ1", "DIGI imminent"),
            ev.Created("WT2", t, "safety"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT2", "WR2", "WK1", "Team A", t + 30_001, "WQ1", "DIGI imminent"),
            ev.Created("WT3", t, "support"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT3", "WR3", "WK1", "Team A", t + 59_000, "WQ1", "DIGI imminent"),
        };

        var snapshot = Day(OfflineFold.Run(TestEvents.Digi, events), ScopeKey.Platform("digi"));

        Assert.Equal(1, snapshot.BySupportType["imminent"].AnsweredInThreshold);
        Assert.Equal(0, snapshot.BySupportType["safety"].AnsweredInThreshold);
        Assert.Equal(1, snapshot.BySupportType["support"].AnsweredInThreshold);
        Assert.Equal(2, snapshot.Totals.AnsweredInThreshold);
        Assert.Equal(0.666667, snapshot.Totals.ServiceLevel);
    }

    [Fact]
    public void ShortAbandon_AtOrUnderThreshold_IsCountedAndLeavesServiceLevelDenominator()
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", T0, "support"),
            ev.Task(TaskRouterEventType.TaskCanceled, "WT1", T0 + 10_000, "WQ1", "DIGI support"),
            ev.Created("WT2", T0, "support"),
            ev.Task(TaskRouterEventType.TaskCanceled, "WT2", T0 + 10_001, "WQ1", "DIGI support"),
            ev.Created("WT3", T0, "support"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT3", "WR3", "WK1", "Team A", T0 + 5_000, "WQ1", "DIGI support"),
        };

        var totals = Day(OfflineFold.Run(TestEvents.Digi, events), ScopeKey.Queue("WQ1")).Totals;

        Assert.Equal(2, totals.Abandoned);
        Assert.Equal(1, totals.ShortAbandoned);
        // 10 000 and 10 001 ms share a histogram bin: p50 reports the bin mean (10 000.5 ms, to the ms), within 2 %.
        Assert.Equal(new DurationStats(2, 20.001, 10.001, 10.001, 10.001, 10.001), totals.AbandonedWaitSeconds);
        Assert.Equal(0.666667, totals.AbandonRate);
        // answered 1 / (handled 1 + abandoned 2 − short 1)
        Assert.Equal(0.5, totals.ServiceLevel);
    }

    [Fact]
    public void MultipleRejects_BeforeAcceptance_CountEachOffer()
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent> { ev.Created("WT1", T0, "safety") };
        for (var i = 0; i < 3; i++)
        {
            events.Add(ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", $"WR{i}", $"WK{i}", "Team A", T0 + 1_000 + (i * 10_000), "WQ1", "DIGI safety"));
            events.Add(ev.Reservation(TaskRouterEventType.ReservationRejected, "WT1", $"WR{i}", $"WK{i}", "Team A", T0 + 2_000 + (i * 10_000), "WQ1", "DIGI safety"));
        }

        events.Add(ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WR9", "WK9", "Team B", T0 + 40_000, "WQ1", "DIGI safety"));
        events.Add(ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR9", "WK9", "Team B", T0 + 41_000, "WQ1", "DIGI safety"));
        var result = OfflineFold.Run(TestEvents.Digi, events);

        var platform = Day(result, ScopeKey.Platform("digi")).Totals;
        var teamA = Day(result, ScopeKey.Team("Team A")).Totals;

        Assert.Equal((4, 3, 1), (platform.Reservations, platform.Rejected, platform.Handled));
        Assert.Equal(0.75, platform.RejectRate);
        Assert.Equal(41, platform.WaitSeconds.Sum);
        Assert.Equal((3, 3, 0), (teamA.Reservations, teamA.Rejected, teamA.Handled));
        Assert.Equal(1.0, teamA.RejectRate);
    }

    [Fact]
    public void TaskWithoutWrapup_TalkEndsAtCompletion_AndWrapIsEmpty()
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", T0, "support"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR1", "WK1", "Team A", T0 + 10_000, "WQ1", "DIGI support"),
            ev.Task(TaskRouterEventType.TaskCompleted, "WT1", T0 + 310_000, "WQ1", "DIGI support"),
        };
        var result = OfflineFold.Run(TestEvents.Digi, events);

        var platform = Day(result, ScopeKey.Platform("digi")).Totals;
        var worker = Day(result, ScopeKey.Worker("WK1")).Totals;

        Assert.Equal(300, platform.TalkSeconds.Sum);
        Assert.Equal(DurationStats.Empty, platform.WrapSeconds);
        Assert.Equal(300, platform.HandleSeconds.Sum);
        // task.completed closes the accepted reservation whose own events are missing.
        Assert.Equal(300, worker.TalkSeconds.Sum);
        Assert.Equal(DurationStats.Empty, worker.WrapSeconds);
        Assert.Equal(300, worker.HandleSeconds.Sum);
    }

    [Fact]
    public void NativeColdTransfer_CountsOnceForTheTask_AndForTheInitiatingWorker()
    {
        var ev = new TestEvents("AC0000000000000000000000000000c155", "WS0000000000000000000000000000c155");
        const string task = "WT000000000000000000000000c1000003";
        const string q = "WQ000000000000000000000000000c1002";
        const string drewReservation = "WR000000000000000000000000c1000301";
        const long t = 1_795_476_600_000;
        var events = new List<TaskRouterEvent>
        {
            ev.Created(task, t, "safety"),
            ev.Task(TaskRouterEventType.TaskQueueEntered, task, t + 100, q, "CISS safety"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, task, drewReservation, "WKdrew", "Team C", t + 2_000, q, "CISS safety"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, task, drewReservation, "WKdrew", "Team C", t + 12_000, q, "CISS safety"),
            ev.Transfer(task, 1_795_476_900_000, drewReservation, "WQ000000000000000000000000000c1009"),
            ev.Task(TaskRouterEventType.TaskQueueMoved, task, 1_795_476_900_100, "WQ000000000000000000000000000c1009", "CISS support"),
            ev.Reservation(TaskRouterEventType.ReservationWrapup, task, drewReservation, "WKdrew", "Team C", 1_795_476_901_000, q, "CISS safety"),
            ev.Reservation(TaskRouterEventType.ReservationCompleted, task, drewReservation, "WKdrew", "Team C", 1_795_476_931_000, q, "CISS safety"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, task, "WRsecond", "WKeli", "Team D", 1_795_476_905_000, "WQ000000000000000000000000000c1009", "CISS support"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, task, "WRsecond", "WKeli", "Team D", 1_795_476_910_000, "WQ000000000000000000000000000c1009", "CISS support"),
            ev.Transfer(task, 1_795_477_000_000, "WRsecond"),
            ev.Task(TaskRouterEventType.TaskWrapup, task, 1_795_477_510_000, q),
            ev.Task(TaskRouterEventType.TaskCompleted, task, 1_795_477_570_000, q),
        };
        var result = OfflineFold.Run(TestEvents.Ciss, events);

        var platform = Day(result, ScopeKey.Platform("ciss")).Totals;
        var queue = Day(result, ScopeKey.Queue(q));
        var drew = Day(result, ScopeKey.Worker("WKdrew")).Totals;
        var eli = Day(result, ScopeKey.Worker("WKeli")).Totals;

        Assert.Equal((1, 1, 1.0), (platform.Transferred, platform.Handled, platform.TransferRate));
        Assert.Equal(1, queue.BySupportType["safety"].Transferred);
        Assert.False(result.Scopes.ContainsKey(ScopeKey.Queue("WQ000000000000000000000000000c1009")));
        Assert.Equal((1, 1), (drew.Transferred, drew.Handled));
        Assert.Equal((0, 1), (eli.Transferred, eli.Handled));
        // Drew: own wrap-up and completion; Eli: task.wrapup/task.completed close the reservation accepted last.
        Assert.Equal(289, drew.TalkSeconds.Sum);
        Assert.Equal(30, drew.WrapSeconds.Sum);
        Assert.Equal(600, eli.TalkSeconds.Sum);
        Assert.Equal(60, eli.WrapSeconds.Sum);
        Assert.Equal(660, eli.HandleSeconds.Sum);
        // Task side: first acceptance (Drew) to task.wrapup.
        Assert.Equal(1_795_477_510_000 - (t + 12_000), (long)(platform.TalkSeconds.Sum * 1000));
    }

    [Fact]
    public void TransferFromNonAcceptedReservation_CreditsTheInitiatingReservationsWorker()
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", T0, "support"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WRa", "WKa", "Team A", T0 + 1_000, "WQ1", "DIGI support"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WRa", "WKa", "Team A", T0 + 2_000, "WQ1", "DIGI support"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WRb", "WKb", "Team B", T0 + 3_000, "WQ1", "DIGI support"),
            ev.Transfer("WT1", T0 + 60_000, "WRb"),
        };
        var result = OfflineFold.Run(TestEvents.Digi, events);

        Assert.Equal(0, Day(result, ScopeKey.Worker("WKa")).Totals.Transferred);
        Assert.Equal(1, Day(result, ScopeKey.Worker("WKb")).Totals.Transferred);
        Assert.Equal(1, Day(result, ScopeKey.Team("Team B")).Totals.Transferred);
        Assert.Equal(1, Day(result, ScopeKey.Platform("digi")).Totals.Transferred);
    }

    [Fact]
    public void ChatTransferByNewTask_CountsTheOriginalTask_WithItsQueueTypeAndWorker()
    {
        var ev = new TestEvents();
        const long transferAt = T0 + 600_000;
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WTorig", T0, "safety"),
            ev.Task(TaskRouterEventType.TaskQueueEntered, "WTorig", T0 + 10, "WQsafety", "DIGI safety"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WTorig", "WRorig", "WKalex", "Team A", T0 + 5_000, "WQsafety", "DIGI safety"),
            ev.Created("WTnew", transferAt, "support", originalTask: "WTorig"),
            ev.Task(TaskRouterEventType.TaskQueueEntered, "WTnew", transferAt + 10, "WQsupport", "DIGI support"),
            ev.Task(TaskRouterEventType.TaskCompleted, "WTorig", transferAt + 1_000, "WQsafety", "DIGI safety"),
        };
        var result = OfflineFold.Run(TestEvents.Digi, events);

        var platform = Day(result, ScopeKey.Platform("digi"));
        Assert.Equal(1, platform.BySupportType["safety"].Transferred);
        Assert.Equal(0, platform.BySupportType["support"].Transferred);
        Assert.Equal(1, platform.BySupportType["support"].Offered);
        Assert.Equal(1, Day(result, ScopeKey.Queue("WQsafety")).Totals.Transferred);
        Assert.Equal(0, Day(result, ScopeKey.Queue("WQsupport")).Totals.Transferred);
        Assert.Equal(1, Day(result, ScopeKey.Worker("WKalex")).Totals.Transferred);
        Assert.Equal(transferAt, result.Tasks["WTnew"].OutgoingTransfer!.TimeMs);
    }

    [Fact]
    public void TaskSpanningMidnight_BooksEachMeasureOnTheDayItsCompletingEventOccurred()
    {
        var ev = new TestEvents();
        // 2026-11-24 23:50 AEDT = 2026-11-24T12:50Z; the next local day starts at 2026-11-24T13:00Z.
        const long created = 1_795_525_200_000 - 600_000;
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", created, "support"),
            ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR1", "WK1", "Team A", created + 60_000, "WQ1", "DIGI support"),
            ev.Task(TaskRouterEventType.TaskWrapup, "WT1", created + 1_200_000, "WQ1"),
            ev.Task(TaskRouterEventType.TaskCompleted, "WT1", created + 1_260_000, "WQ1"),
        };
        var result = OfflineFold.Run(TestEvents.Digi, events);

        var first = Day(result, ScopeKey.Platform("digi"), "2026-11-24").Totals;
        var second = Day(result, ScopeKey.Platform("digi"), "2026-11-25").Totals;

        Assert.Equal((1, 1, 1L, 0L), (first.Offered, first.Handled, first.WaitSeconds.Count, first.TalkSeconds.Count));
        Assert.Equal((0, 0, 0L, 1L, 1L, 1L), (second.Offered, second.Handled, second.WaitSeconds.Count, second.TalkSeconds.Count, second.WrapSeconds.Count, second.HandleSeconds.Count));
        Assert.Equal(1140, second.TalkSeconds.Sum);
        var week = result.Scope(ScopeKey.Platform("digi")).Snapshot(MetricWindow.Parse("week:2026-W48").Resolve(result.Settings, created)).Totals;
        Assert.Equal((1, 1, 1L), (week.Offered, week.Handled, week.TalkSeconds.Count));
    }

    [Fact]
    public void DaylightSavingDays_BookByLocalDate_On23And25HourDays()
    {
        var ev = new TestEvents();
        const long octoberDayStart = 1_791_036_000_000; // 2026-10-04 00:00 AEST, 23 hours long
        const long aprilDayStart = 1_775_307_600_000;   // 2026-04-05 00:00 AEDT, 25 hours long
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", octoberDayStart + (23 * 3_600_000) - 1, "support"),
            ev.Created("WT2", octoberDayStart + (23 * 3_600_000), "support"),
            ev.Created("WT3", aprilDayStart + (25 * 3_600_000) - 1, "support"),
            ev.Created("WT4", aprilDayStart + (25 * 3_600_000), "support"),
        };
        var result = OfflineFold.Run(TestEvents.Digi, events);
        var platform = ScopeKey.Platform("digi");

        Assert.Equal(1, Day(result, platform, "2026-10-04").Totals.Offered);
        Assert.Equal(1, Day(result, platform, "2026-10-05").Totals.Offered);
        Assert.Equal(1, Day(result, platform, "2026-04-05").Totals.Offered);
        Assert.Equal(1, Day(result, platform, "2026-04-06").Totals.Offered);
        var october = Day(result, platform, "2026-10-04").Window;
        Assert.Equal(TimeSpan.FromHours(23), october.End - october.Start);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(octoberDayStart), october.Start);
        var april = Day(result, platform, "2026-04-05").Window;
        Assert.Equal(TimeSpan.FromHours(25), april.End - april.Start);
    }

    [Fact]
    public void Unclassified_AppearsOnlyWithTraffic_AndQueueNameRuleClassifiesFirst()
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", T0, supportType: null),
            ev.Task(TaskRouterEventType.TaskQueueEntered, "WT1", T0 + 1, "WQx", "DIGI overflow"),
            ev.Created("WT2", T0, supportType: "not_a_type"),
            ev.Task(TaskRouterEventType.TaskQueueEntered, "WT2", T0 + 1, "WQd", "DIGI Debrief"),
        };
        var result = OfflineFold.Run(TestEvents.Digi, events);

        var platform = Day(result, ScopeKey.Platform("digi"));
        Assert.Equal(1, platform.BySupportType[SupportTypes.Unclassified].Offered);
        Assert.Equal(1, platform.BySupportType["debrief"].Offered);
        Assert.DoesNotContain(SupportTypes.Unclassified, Day(result, ScopeKey.Queue("WQd")).BySupportType.Keys);
    }

    [Fact]
    public void WorkerWithoutTeamAttribute_IsInTeamUnassigned()
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", T0, "support"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WR1", "WK1", team: null, T0 + 1_000, "WQ1", "DIGI support"),
            ev.Reservation(TaskRouterEventType.ReservationTimeout, "WT1", "WR1", "WK1", team: null, T0 + 31_000, "WQ1", "DIGI support"),
        };

        var team = Day(OfflineFold.Run(TestEvents.Digi, events), ScopeKey.Team(SupportTypes.UnassignedTeam)).Totals;

        Assert.Equal((1, 1, 1.0), (team.Reservations, team.TimedOut, team.TimeoutRate));
    }

    [Fact]
    public void LatestAttributes_DecideSupportType_WhateverTheArrivalOrder()
    {
        var ev = new TestEvents();
        var created = ev.Created("WT1", T0, "support");
        var updated = ev.Task(TaskRouterEventType.TaskUpdated, "WT1", T0 + 5_000, "WQ1", "DIGI support", TestEvents.TaskAttributes("imminent"), version: 3);

        var inOrder = Day(OfflineFold.Run(TestEvents.Digi, [created, updated]), ScopeKey.Platform("digi"));
        var reversed = Day(OfflineFold.Run(TestEvents.Digi, [updated, created]), ScopeKey.Platform("digi"));

        Assert.Equal(1, inOrder.BySupportType["imminent"].Offered);
        Assert.Equal(inOrder, reversed);
    }
}
