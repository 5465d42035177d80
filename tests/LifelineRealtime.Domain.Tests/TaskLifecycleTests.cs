using LifelineRealtime.Domain.Lifecycle;
using LifelineRealtime.Domain.Metrics;
using LifelineRealtime.Domain.Statistics;
using LifelineRealtime.Domain.TaskRouter;
using LifelineRealtime.Domain.TaskRouter.Parsing;
using static LifelineRealtime.Domain.Tests.FixtureStory;

namespace LifelineRealtime.Domain.Tests;

public sealed class TaskLifecycleTests
{
    private static List<TaskRouterEvent> Task1Events() => [.. Events().Where(e => e is not WorkerEvent && (e as ReservationEvent)?.Task.Sid != Task2 && (e as TaskEvent)?.Task.Sid != Task2)];

    [Fact]
    public void Apply_Duplicate_IsIgnored()
    {
        var lifecycle = new TaskLifecycle(Task1, TestEvents.Digi);
        var created = Task1Events()[0];

        Assert.True(lifecycle.Apply(created));
        Assert.False(lifecycle.Apply(created));
        Assert.Equal(1, lifecycle.EventCount);
    }

    [Fact]
    public void Apply_EventOfAnotherTask_IsRefused()
    {
        var lifecycle = new TaskLifecycle("WTother", TestEvents.Digi);

        Assert.False(lifecycle.Apply(Task1Events()[0]));
        Assert.Same(Contribution.Empty, lifecycle.Contribution);
    }

    [Fact]
    public void Deltas_SummedOverAnyArrivalOrder_EqualTheFinalContribution()
    {
        var events = Task1Events();
        events.Reverse();
        var lifecycle = new TaskLifecycle(Task1, TestEvents.Digi);
        var net = new Dictionary<MeasureSample, int>();

        foreach (var e in events)
        {
            var before = lifecycle.Contribution;
            lifecycle.Apply(e);
            foreach (var delta in Contribution.Diff(before, lifecycle.Contribution))
            {
                net[delta.Sample] = net.GetValueOrDefault(delta.Sample) + delta.Count;
            }
        }

        var expected = lifecycle.Contribution.Samples.GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(expected.OrderBy(p => p.Key), net.Where(p => p.Value != 0).OrderBy(p => p.Key));
        // 6 task-side measures × 2 scopes, 3 offers × 4 scopes, 1 reject × 4, 1 timeout × 4, 5 of Alex's measures × 2.
        Assert.Equal(42, lifecycle.Contribution.Count);
    }

    [Fact]
    public void LateEvent_CorrectsEarlierNumbersByDelta()
    {
        var ev = new TestEvents();
        var lifecycle = new TaskLifecycle("WT1", TestEvents.Digi);
        lifecycle.Apply(ev.Created("WT1", T0, "support"));
        lifecycle.Apply(ev.Task(TaskRouterEventType.TaskCanceled, "WT1", T0 + 30_000, "WQ1", "DIGI support"));
        var abandoned = lifecycle.Contribution;

        // The acceptance arrives late: the task was handled, not abandoned.
        lifecycle.Apply(ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR1", "WK1", "Team A", T0 + 20_000, "WQ1", "DIGI support"));
        var delta = Contribution.Diff(abandoned, lifecycle.Contribution);

        Assert.Contains(delta, d => d.Count == -1 && d.Sample.Measure == Measure.Abandoned && d.Sample.Scope.Kind == ScopeKind.Platform);
        Assert.Contains(delta, d => d.Count == +1 && d.Sample.Measure == Measure.Handled && d.Sample.Scope.Kind == ScopeKind.Platform);
        Assert.DoesNotContain(delta, d => d.Sample.Measure == Measure.Offered);
    }

    [Fact]
    public void Diff_OfAnExtension_HoldsOnlyTheAdditions()
    {
        var events = Task1Events();
        var lifecycle = new TaskLifecycle(Task1, TestEvents.Digi);
        var rejected = events.Single(e => e.Type == TaskRouterEventType.ReservationRejected);
        foreach (var e in events.Where(e => e != rejected))
        {
            lifecycle.Apply(e);
        }

        var before = lifecycle.Contribution;
        lifecycle.Apply(rejected);
        var delta = Contribution.Diff(before, lifecycle.Contribution);

        Assert.All(delta, d => Assert.Equal((Measure.Rejected, 1), (d.Sample.Measure, d.Count)));
        Assert.Equal(4, delta.Length);
    }

    [Fact]
    public void ContributionThrough_ReplaysExactlyTheDeltaOfASequence()
    {
        var events = Task1Events();
        var order = new[] { 3, 0, 7, 1, 5, 2, 10, 4, 6, 9, 8 };
        var live = new TaskLifecycle(Task1, TestEvents.Digi);
        var emitted = new List<System.Collections.Immutable.ImmutableArray<SampleDelta>>();
        for (var seq = 1; seq <= order.Length; seq++)
        {
            var before = live.Contribution;
            live.Apply(events[order[seq - 1]], seq);
            emitted.Add(Contribution.Diff(before, live.Contribution));
        }

        for (var seq = 1; seq <= order.Length; seq++)
        {
            var replayed = Contribution.Diff(live.ContributionThrough(seq - 1), live.ContributionThrough(seq));
            Assert.Equal(emitted[seq - 1], replayed);
        }
    }

    [Fact]
    public void LiveState_FollowsTheTaskThroughItsStatuses()
    {
        var events = Task1Events();
        var lifecycle = new TaskLifecycle(Task1, TestEvents.Digi);
        var seen = new List<(TaskLiveStatus, long)>();
        foreach (var e in events)
        {
            lifecycle.Apply(e);
            var state = lifecycle.LiveState;
            seen.Add((state.Status, state.SinceMs));
        }

        Assert.Equal(
        [
            (TaskLiveStatus.Pending, T0),
            (TaskLiveStatus.Reserved, T0 + 5_000),
            (TaskLiveStatus.Pending, T0 + 35_000),
            (TaskLiveStatus.Reserved, T0 + 36_000),
            (TaskLiveStatus.Pending, T0 + 41_000),
            (TaskLiveStatus.Reserved, T0 + 42_000),
            (TaskLiveStatus.Assigned, T0 + 49_250),
            (TaskLiveStatus.Wrapping, T0 + 1_249_250),
            (TaskLiveStatus.Wrapping, T0 + 1_249_250),
            (TaskLiveStatus.Completed, T0 + 1_384_750),
            (TaskLiveStatus.Completed, T0 + 1_384_750),
        ], seen);
        Assert.Equal("imminent", lifecycle.LiveState.SupportType);
        Assert.Equal(ImminentQueue, lifecycle.LiveState.TaskQueueSid);
    }

    [Fact]
    public void LiveState_TaskFirstSeenMidConversation_TakesTwiliosStatedAssignment()
    {
        var transfer = TaskRouterEventParser.ParseFormBody(Parsing.Fixtures.Text("14-task.transfer-initiated.form")).Event!;
        var lifecycle = new TaskLifecycle(((TransferEvent)transfer).Task.Sid, TestEvents.Ciss);

        lifecycle.Apply(transfer);

        // The fixture states TaskAssignmentStatus=assigned at 2026-11-24T10:35:00+11:00.
        Assert.Equal((TaskLiveStatus.Assigned, 1_795_476_900_000L), (lifecycle.LiveState.Status, lifecycle.LiveState.SinceMs));
        Assert.False(lifecycle.LiveState.Status.IsWaiting());
    }

    [Fact]
    public void LiveState_StatedStatusNeverOverridesWhatTheEventsShow()
    {
        var ev = new TestEvents();
        var lifecycle = new TaskLifecycle("WT1", TestEvents.Digi);
        lifecycle.Apply(ev.Created("WT1", T0, "imminent"));

        // A task.created states "pending": nothing to correct, and later events keep deciding.
        Assert.Equal((TaskLiveStatus.Pending, T0), (lifecycle.LiveState.Status, lifecycle.LiveState.SinceMs));
    }

    [Fact]
    public void LiveState_WaitAgeAndStuck_UseThePlatformThresholds()
    {
        var ev = new TestEvents();
        var lifecycle = new TaskLifecycle("WT1", TestEvents.Digi);
        lifecycle.Apply(ev.Created("WT1", T0, "imminent"));
        var state = lifecycle.LiveState;

        Assert.Equal((TaskLiveStatus.Pending, T0, T0), (state.Status, state.SinceMs, state.CreatedMs));
        Assert.True(state.Status.IsWaiting());
        Assert.False(TestEvents.Digi.IsStuck(state.Status, T0 + 600_000 - state.SinceMs));
        Assert.True(TestEvents.Digi.IsStuck(state.Status, T0 + 600_001 - state.SinceMs));
        Assert.True(state.IsOpen);
    }

    [Fact]
    public void LiveState_UrgentWaitAlert_FiresAtTheSupportTypesThreshold_AndStopsOnAcceptance()
    {
        var ev = new TestEvents();
        var imminent = new TaskLifecycle("WT1", TestEvents.Digi);
        imminent.Apply(ev.Created("WT1", T0, "imminent"));
        var support = new TaskLifecycle("WT2", TestEvents.Digi);
        support.Apply(ev.Created("WT2", T0, "support"));

        Assert.False(Alerts(imminent, T0 + 29_999));
        Assert.True(Alerts(imminent, T0 + 30_000));
        Assert.False(Alerts(support, T0 + 3_600_000));
        imminent.Apply(ev.Reservation(TaskRouterEventType.ReservationAccepted, "WT1", "WR1", "WK1", "Team A", T0 + 40_000, "WQ1", "DIGI imminent"));
        Assert.False(Alerts(imminent, T0 + 50_000));

        // What the live state and the push grain ask of a task: is it waiting, and does its wait alert.
        static bool Alerts(TaskLifecycle task, long nowMs) =>
            task.LiveState is { CreatedMs: { } created } state && state.Status.IsWaiting()
            && TestEvents.Digi.IsUrgentWaitAlert(state.SupportType, nowMs - created);
    }

    [Fact]
    public void QueueMoved_KeepsTheFirstQueue()
    {
        var ev = new TestEvents();
        var events = new List<TaskRouterEvent>
        {
            ev.Created("WT1", T0, "support"),
            ev.Task(TaskRouterEventType.TaskQueueMoved, "WT1", T0 + 20_000, "WQ2", "DIGI other"),
            ev.Task(TaskRouterEventType.TaskQueueEntered, "WT1", T0 + 10, "WQ1", "DIGI support"),
            ev.Reservation(TaskRouterEventType.ReservationCreated, "WT1", "WR1", "WK1", "Team A", T0 + 30_000, "WQ2", "DIGI other"),
        };
        var result = OfflineFold.Run(TestEvents.Digi, events);

        Assert.Equal(1, MetricsScenarioTests.Day(result, ScopeKey.Queue("WQ1")).Totals.Reservations);
        Assert.False(result.Scopes.ContainsKey(ScopeKey.Queue("WQ2")));
    }

    [Fact]
    public void TransferLink_IsAnInputLikeAnEvent_DeduplicatedAndReplayable()
    {
        var ev = new TestEvents();
        var original = new TaskLifecycle("WTorig", TestEvents.Digi);
        original.Apply(ev.Created("WTorig", T0, "safety"), 1);
        original.Apply(ev.Reservation(TaskRouterEventType.ReservationAccepted, "WTorig", "WR1", "WK1", "Team A", T0 + 5_000, "WQ1", "DIGI safety"), 2);
        var link = new TransferLink("WTorig", "WTnew", T0 + 60_000, null);

        Assert.True(original.ApplyTransfer(link, 3));
        Assert.False(original.ApplyTransfer(link, 4));
        Assert.False(original.ApplyTransfer(link with { OriginalTaskSid = "WTother" }, 5));

        var delta = Contribution.Diff(original.ContributionThrough(2), original.ContributionThrough(3));
        Assert.Equal(
            [ScopeKey.Platform("digi"), ScopeKey.Queue("WQ1"), ScopeKey.Team("Team A"), ScopeKey.Worker("WK1")],
            delta.Select(d => d.Sample.Scope).Order());
        Assert.All(delta, d => Assert.Equal((Measure.Transferred, 1, T0 + 60_000), (d.Sample.Measure, d.Count, d.Sample.TimeMs)));
    }

    [Fact]
    public void ScopeStatistics_ApplyDeltas_BooksOnlyItsOwnScope()
    {
        var events = Task1Events();
        var lifecycle = new TaskLifecycle(Task1, TestEvents.Digi);
        events.ForEach(e => lifecycle.Apply(e));
        var team = new ScopeStatistics(ScopeKey.Team("Team B"), TestEvents.Digi);

        team.Apply(Contribution.Diff(Contribution.Empty, lifecycle.Contribution));

        var totals = team.Snapshot(MetricWindow.Parse("day:2026-11-24").Resolve(TestEvents.Digi, T0)).Totals;
        Assert.Equal((1, 1, 0, 0), (totals.Reservations, totals.Rejected, totals.Handled, totals.Offered));
    }
}
